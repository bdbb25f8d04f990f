import pytest

from maillage.offer.index import clear_index
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.offer import DispositifFactory, StructureFactory
from tests.factories.orientation import PorteurFactory, ProjetFactory


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


class Cast:
    """A town hall prescriber, a receiving structure, an outsider, staff."""

    def __init__(self):
        self.town_hall = OrganisationFactory(name="Mairie de Guéret", kind="commune")
        self.prescriber = UserFactory(email="prescriptrice@mairie.test")
        MembershipFactory(user=self.prescriber, organisation=self.town_hall)
        self.incubator_org = OrganisationFactory(name="Incubateur creusois")
        self.receiver = UserFactory(email="accueil@incubateur.test")
        MembershipFactory(user=self.receiver, organisation=self.incubator_org)
        self.structure = StructureFactory(
            name="Incubateur creusois", organisation=self.incubator_org
        )
        self.dispositif = DispositifFactory(
            structure=self.structure, stages=["ideation-premiers-pas"], places=["23096"]
        )
        self.other_dispositif = DispositifFactory(
            stages=["ideation-premiers-pas", "emergence-faisabilite"], places=["23008"]
        )
        self.outsider = UserFactory(email="curieux@ailleurs.test")
        MembershipFactory(user=self.outsider, organisation=OrganisationFactory(name="Ailleurs"))
        self.staff = UserFactory(email="equipe@maillage.test", staff=True)
        self.porteur = PorteurFactory(name="Camille", followed_by=self.town_hall)
        self.projet = ProjetFactory(porteur=self.porteur, title="Café associatif")


@pytest.fixture
def cast(db):
    return Cast()
