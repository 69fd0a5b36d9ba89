from django.urls import path

from therapies import views

app_name = "therapies"

urlpatterns = [
    path("therapies/", views.therapy_list, name="therapy_list"),
    path("therapies/<slug:slug>/", views.therapy_detail, name="therapy_detail"),
    path("therapies/<slug:slug>/history/", views.therapy_history, name="therapy_history"),
    path("therapies/<slug:slug>/v/<int:number>/", views.therapy_version, name="therapy_version"),
    path("combinations/", views.combination_list, name="combination_list"),
    path("combinations/<slug:slug>/", views.combination_detail, name="combination_detail"),
    path(
        "combinations/<slug:slug>/history/",
        views.combination_history,
        name="combination_history",
    ),
    path(
        "combinations/<slug:slug>/v/<int:number>/",
        views.combination_version,
        name="combination_version",
    ),
    path("trials/", views.trial_list, name="trial_list"),
    path("trials/conditions/", views.trial_conditions, name="trial_conditions"),
    path("trials/<str:nct_id>/", views.trial_detail, name="trial_detail"),
    path("trials/<str:nct_id>/history/", views.trial_history, name="trial_history"),
    path("trials/<str:nct_id>/v/<int:number>/", views.trial_version, name="trial_version"),
]
