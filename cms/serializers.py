"""API fields of the content models."""

from rest_framework import serializers


class TagNamesField(serializers.Field):
    """A page's tag names, read through its tagged items so that a prefetch serves them
    (ClusterTaggableManager's own queryset would query once per page)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance.tagged_items.all()

    def to_representation(self, value):
        return [item.tag.name for item in value]


class RelationLinksField(serializers.Field):
    """A regulation's related regulations that the client may read (a relation may point at a
    draft, or at a page for another audience, whose title must not show)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, relations):
        from .visibility import can_read

        user = self.context["request"].user
        return [
            {"kind": r.kind, "id": r.target_id, "title": r.target.title} for r in relations if can_read(user, r.target)
        ]
