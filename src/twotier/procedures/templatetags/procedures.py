from django import template

from twotier.procedures import display

register = template.Library()

register.filter("time_text", display.time_text)
register.filter("fee_text", display.fee_text)
register.filter("copies_text", display.copies_text)
register.filter("channel_label", display.channel_label)
register.filter("grouped_documents", display.grouped_documents)
register.filter("changes_text", display.changes_text)
