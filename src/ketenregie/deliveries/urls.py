from django.urls import path

from ketenregie.deliveries import views

app_name = "deliveries"

urlpatterns = [
    path("", views.delivery_list, name="delivery_list"),
    path("controle/", views.review_list, name="review_list"),
    path("controle/<int:review_id>/", views.review_detail, name="review_detail"),
]
