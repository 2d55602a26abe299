"""`manage.py api_token <username>`: print the user's API token, creating it if needed."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print the API token of a user (created on first use). Clients send it as 'Authorization: Token <key>'."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token with a new one.")

    def handle(self, *args, username, rotate, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user is called “{username}”.") from None
        if not user.is_active:
            raise CommandError(f"“{username}” is not active; a token would not authenticate.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created and options["verbosity"] > 1:
            self.stderr.write(f"Created a token for {username}.")
        self.stdout.write(token.key)
