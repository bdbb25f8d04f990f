"""Factories for porteurs, projects and orientations (real communes)."""

import factory
from django.utils import timezone

from maillage.orientation.models import FollowUp, Porteur, Projet
from tests.factories.offer import commune


class PorteurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Porteur
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Porteur {n}")
    commune = factory.LazyFunction(lambda: commune("23096"))
    consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def followed_by(self, create, extracted, **kwargs):
        """followed_by=organisation: that organisation is in the follow-up group."""
        if create and extracted:
            FollowUp.objects.create(porteur=self, organisation=extracted)


class ProjetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Projet

    porteur = factory.SubFactory(PorteurFactory)
    title = factory.Sequence(lambda n: f"Projet {n}")
    stage = "ideation-premiers-pas"
