from .orientation import AnonymisedStat, Orientation, OrientationTransition, UnmetDemand
from .porteur import FollowUp, Porteur, PorteurMember, Projet, TimelineEvent

__all__ = [
    "AnonymisedStat",
    "FollowUp",
    "Orientation",
    "OrientationTransition",
    "Porteur",
    "PorteurMember",
    "Projet",
    "TimelineEvent",
    "UnmetDemand",
]
