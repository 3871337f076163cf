from .urls_events import urlpatterns as event_urlpatterns
from .urls_introductions import urlpatterns as introduction_urlpatterns

urlpatterns = introduction_urlpatterns + event_urlpatterns
