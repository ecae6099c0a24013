"""Gateway callbacks, outside the language prefix (gateways know no languages)."""

from django.urls import path

from .africastalking import sms as africastalking_sms
from .africastalking import ussd as africastalking_ussd
from .twilio import sms as twilio_sms

app_name = "channels"
urlpatterns = [
    path("ussd/africastalking", africastalking_ussd.ussd_callback, name="ussd_africastalking"),
    path(
        "ussd/africastalking/events",
        africastalking_ussd.ussd_session_event,
        name="ussd_africastalking_events",
    ),
    path("sms/africastalking", africastalking_sms.sms_inbound, name="sms_africastalking"),
    path(
        "sms/africastalking/delivery",
        africastalking_sms.sms_delivery_report,
        name="sms_africastalking_delivery",
    ),
    path("sms/twilio", twilio_sms.sms_inbound, name="sms_twilio"),
]
