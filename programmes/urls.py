from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("programmas/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmas/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("werksporen/", views.WorkTrackListView.as_view(), name="worktrack-list"),
    path("werksporen/<slug:slug>/", views.WorkTrackDetailView.as_view(), name="worktrack-detail"),
    path("werkgroepen/", views.WorkingGroupListView.as_view(), name="workinggroup-list"),
    path("werkgroepen/<slug:slug>/", views.WorkingGroupDetailView.as_view(), name="workinggroup-detail"),
    path("steden/", views.CityListView.as_view(), name="city-list"),
    path("steden/vergelijken/", views.CityCompareView.as_view(), name="city-compare"),
    path("steden/<slug:slug>/", views.CityDetailView.as_view(), name="city-detail"),
    path("kalender/", views.CalendarView.as_view(), name="calendar"),
    path("zoeken/", views.SearchView.as_view(), name="search"),
]
