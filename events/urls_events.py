urlpatterns = []  # events and invitations
