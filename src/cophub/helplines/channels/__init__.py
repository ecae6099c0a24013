"""SMS and USSD channels: how a child on a feature phone without data reaches a helpline.

Each gateway has its own folder (``africastalking/``, ``twilio/``) holding its views, the parser
that turns the provider's form into a neutral dataclass (``replies.UssdRequest``,
``replies.InboundSms``) and captured-shape payload ``fixtures/`` that the tests replay.
``replies.py`` answers in a gateway-neutral way with the pure menus and texts of
``copcore.helplines.ussd``/``sms``; ``sessions.py`` keeps short-lived state under salted hashes;
``outbound.py`` sends SMS. No phone number, message body or IP address is stored or logged."""
