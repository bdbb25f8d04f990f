from django.urls import path

from . import (
    dashboard_views,
    diagnosis_plan_views,
    diagnosis_views,
    offer_copy_views,
    offer_edit_views,
    offer_views,
    orientation_views,
    porteur_views,
    projet_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("communes/", views.commune_search, name="commune-search"),
    path("communes/<str:insee>/", views.commune_detail, name="commune-detail"),
    # Support offer: public pages
    path("accompagnement/", offer_views.offer_search, name="offer-search"),
    path("structures/<slug:ref>/", offer_views.structure_detail, name="structure-detail"),
    path("dispositifs/<slug:ref>/", offer_views.dispositif_detail, name="dispositif-detail"),
    # Support offer: structure staff
    path("mes-structures/", offer_edit_views.my_structures, name="my-structures"),
    path("mes-structures/nouvelle/", offer_edit_views.structure_create, name="structure-create"),
    path("structures/<slug:ref>/modifier/", offer_edit_views.structure_edit, name="structure-edit"),
    path(
        "structures/<slug:ref>/soumettre/",
        offer_edit_views.structure_resubmit,
        name="structure-resubmit",
    ),
    path(
        "structures/<slug:ref>/nouveau-dispositif/",
        offer_edit_views.dispositif_create,
        name="dispositif-create",
    ),
    path(
        "dispositifs/<slug:ref>/essaimer/",
        offer_copy_views.dispositif_copy,
        name="dispositif-copy",
    ),
    path(
        "dispositifs/<slug:ref>/modifier/",
        offer_edit_views.dispositif_edit,
        name="dispositif-edit",
    ),
    # Platform staff
    path("moderation/", offer_edit_views.moderation, name="moderation"),
    path("moderation/<slug:ref>/", offer_edit_views.moderation_decide, name="moderation-decide"),
    # Territorial diagnosis (public) and where to act (saving needs an account)
    path("diagnostic/", diagnosis_views.diagnosis, name="diagnosis"),
    path("diagnostic/travaux/<int:pk>.json", diagnosis_views.job_status, name="diagnosis-job"),
    path("diagnostic/resultat/<int:pk>/", diagnosis_views.result, name="diagnosis-result"),
    path("diagnostic/resultat/<int:pk>/carte.svg", diagnosis_views.map_svg, name="diagnosis-svg"),
    path(
        "diagnostic/resultat/<int:pk>/carte-apres.svg",
        diagnosis_views.map_svg,
        {"after": True},
        name="diagnosis-svg-after",
    ),
    path(
        "diagnostic/resultat/<int:pk>/export.<str:fmt>",
        diagnosis_views.export,
        name="diagnosis-export",
    ),
    path(
        "diagnostic/resultat/<int:pk>/ou-agir/", diagnosis_views.plan_start, name="diagnosis-plan"
    ),
    path(
        "diagnostic/resultat/<int:pk>/enregistrer/",
        diagnosis_plan_views.scenario_save,
        name="diagnosis-save",
    ),
    path("diagnostic/scenarios/", diagnosis_plan_views.scenarios, name="diagnosis-scenarios"),
    # Orientation: porteurs' files and their projects (logged-in professionals)
    path("tableau-de-bord/", dashboard_views.dashboard, name="dashboard"),
    path("porteurs/", porteur_views.porteur_list, name="porteur-list"),
    path("porteurs/nouveau/", porteur_views.porteur_create, name="porteur-create"),
    path("porteurs/<int:pk>/", porteur_views.porteur_detail, name="porteur-detail"),
    path("porteurs/<int:pk>/consentement/", porteur_views.porteur_consent, name="porteur-consent"),
    path("porteurs/<int:pk>/suivi/", porteur_views.follow_up_add, name="follow-up-add"),
    path(
        "porteurs/<int:pk>/suivi/<int:follow_up>/fin/",
        porteur_views.follow_up_end,
        name="follow-up-end",
    ),
    path("porteurs/<int:pk>/donnees.json", porteur_views.porteur_export, name="porteur-export"),
    path("porteurs/<int:pk>/effacer/", porteur_views.porteur_erase, name="porteur-erase"),
    path("porteurs/<int:pk>/nouveau-projet/", projet_views.projet_create, name="projet-create"),
    path("projets/<int:pk>/", projet_views.projet_detail, name="projet-detail"),
    path("projets/<int:pk>/modifier/", projet_views.projet_edit, name="projet-edit"),
    path("projets/<int:pk>/etape/", projet_views.projet_stage, name="projet-stage"),
    path("projets/<int:pk>/inscription/", projet_views.projet_enrolment, name="projet-enrolment"),
    path("projets/<int:pk>/sortie/", projet_views.projet_exit, name="projet-exit"),
    path(
        "projets/<int:pk>/orienter/",
        projet_views.recommendations,
        name="projet-recommendations",
    ),
    path(
        "projets/<int:pk>/orienter/<slug:ref>/",
        projet_views.orientation_send,
        name="orientation-send",
    ),
    # Orientation workflow; the magic link needs no account (notifications.MAGIC_PATH)
    path(
        "orientations/lien/<str:token>/",
        orientation_views.orientation_magic,
        name="orientation-magic",
    ),
    path("orientations/<int:pk>/", orientation_views.orientation_detail, name="orientation-detail"),
    path(
        "orientations/<int:pk>/examen/",
        orientation_views.orientation_review,
        name="orientation-review",
    ),
    path(
        "orientations/<int:pk>/accepter/",
        orientation_views.orientation_accept,
        name="orientation-accept",
    ),
    path(
        "orientations/<int:pk>/refuser/",
        orientation_views.orientation_refuse,
        name="orientation-refuse",
    ),
    path(
        "orientations/<int:pk>/annuler/",
        orientation_views.orientation_cancel,
        name="orientation-cancel",
    ),
    path(
        "orientations/<int:pk>/reorienter/",
        orientation_views.orientation_reorient,
        name="orientation-reorient",
    ),
    path(
        "orientations/<int:pk>/nouveau-lien/",
        orientation_views.orientation_renew_link,
        name="orientation-renew-link",
    ),
]
