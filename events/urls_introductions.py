urlpatterns = []  # class introductions
