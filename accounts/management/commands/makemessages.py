"""makemessages without fuzzy matching: a new text gets an empty translation, never a guessed one.

msgmerge would otherwise fill a new msgid with the translation of a similar old one, marked fuzzy;
compilemessages leaves fuzzy entries out, so the page would silently show English.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
