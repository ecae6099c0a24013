"""Helpline access, framework-free: opening hours, dial strings, the resolver that tells a
child what to dial or message now, SMS/USSD menus, and short-number checks."""
