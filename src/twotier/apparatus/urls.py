app_name = "apparatus"
urlpatterns: list = []
