"""The body of a regulation or announcement: rich text, headings, tables and quotes."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "superscript", "subscript"]


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", icon="title", max_length=300)
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    table = TableBlock(label=_("Table"), icon="table")
    quote = blocks.BlockQuoteBlock(label=_("Quote"), icon="openquote")

    class Meta:
        label = _("Text of the document")
