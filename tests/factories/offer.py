"""Factories for the support offer, on real communes of the test territory."""

import factory

from maillage.offer.models import Dispositif, SessionPlace, Structure, Zone
from maillage.territory.models import Commune


def commune(insee: str) -> Commune:
    return Commune.objects.get(insee=insee)


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    ref = factory.Sequence(lambda n: f"structure-{n}")
    name = factory.Sequence(lambda n: f"Structure {n}")
    kinds = factory.LazyFunction(lambda: ["incubateur"])
    commune = factory.LazyFunction(lambda: commune("23096"))  # Guéret
    moderation_status = Structure.Moderation.PUBLISHED


class DispositifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispositif
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"dispositif-{n}")
    name = factory.Sequence(lambda n: f"Dispositif {n}")
    structure = factory.SubFactory(StructureFactory)
    stages = factory.LazyFunction(lambda: ["ideation-premiers-pas"])
    audiences = factory.LazyFunction(lambda: ["individuel", "collectif-citoyens"])
    sectors = factory.LazyFunction(lambda: ["tous-secteurs"])
    formats = factory.LazyFunction(lambda: ["collective"])

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        """zones=[("departement", "23")]; default: the operator's département."""
        if not create:
            return
        pairs = extracted or [("departement", self.structure.commune.departement.code)]
        for kind, code in pairs:
            Zone.objects.create(dispositif=self, kind=kind, code=code)

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        """places=["23008", …]: session places by INSEE code."""
        if create and extracted:
            for insee in extracted:
                SessionPlace.objects.create(dispositif=self, commune=commune(insee))
