from django.urls import path

from therapies import views

app_name = "therapies"

urlpatterns = [
    path("therapies/<slug:slug>/", views.therapy_detail, name="therapy_detail"),
    path("combinations/<slug:slug>/", views.combination_detail, name="combination_detail"),
    path("trials/<str:nct_id>/", views.trial_detail, name="trial_detail"),
]
