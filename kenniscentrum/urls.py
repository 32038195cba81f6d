from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Redactie Kenniscentrum Vlaamse Steden"
admin.site.site_title = "Redactie Kenniscentrum"
admin.site.index_title = "Jaarplannen, jaarverslagen en hun bronnen"
# The app list sidebar eats a third of the screen beside wide change lists; the index page lists the same.
admin.site.enable_nav_sidebar = False

# While the database is away: the 503 page instead of a 500, also for errors outside a view.
handler500 = "kenniscentrum.outages.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include("programmes.urls")),
]
