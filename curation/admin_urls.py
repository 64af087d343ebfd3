"""Curation pages mounted under /admin/ (staff only, through the admin site's login)."""

from django.urls import path

from curation.admin_views import review_queue

urlpatterns = [
    path("review-queue/", review_queue, name="review-queue"),
]
