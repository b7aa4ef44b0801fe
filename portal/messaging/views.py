from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from . import services
from .forms import MessageForm, NewConversationForm
from .models import Conversation, MessageAttachment


def _conversations(user):
    return Conversation.objects.for_user(user).select_related("started_by", "counterpart")


@login_required
def inbox(request):
    if request.user.institution_id is None:
        raise PermissionDenied
    conversations = services.with_unread(_conversations(request.user), request.user).order_by("-last_message_at")
    page = Paginator(conversations, 30).get_page(request.GET.get("page"))
    for conversation in page:
        conversation.other = conversation.other_side(request.user.institution_id)
    return render(request, "messaging/inbox.html", {"page": page})


@login_required
def new(request):
    if request.user.institution_id is None:
        raise PermissionDenied
    correspondents = services.correspondents(request.user.institution)
    initial = {}
    if request.GET.get("to"):
        initial["to"] = get_object_or_404(correspondents, pk=request.GET["to"])
    form = NewConversationForm(
        request.POST or None, request.FILES or None, correspondents=correspondents, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.start_conversation(
                request.user, data["to"], subject=data["subject"], body=data["body"], files=data["files"],
                client_token=data["client_token"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(conversation)
    return render(request, "messaging/new.html", {"form": form})


@login_required
def detail(request, pk):
    conversation = get_object_or_404(_conversations(request.user), pk=pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_message(
                request.user, conversation, body=form.cleaned_data["body"], files=form.cleaned_data["files"],
                client_token=form.cleaned_data["client_token"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(conversation.get_absolute_url() + "#end")
    services.mark_read(request.user, conversation)
    messages = conversation.messages.select_related("author", "institution").prefetch_related("attachments")
    return render(
        request,
        "messaging/detail.html",
        {
            "conversation": conversation,
            "other": conversation.other_side(request.user.institution_id),
            "thread": messages,
            "form": form if form.is_bound and form.errors else MessageForm(),
        },
    )


@login_required
def attachment(request, pk, file_pk):
    conversation = get_object_or_404(_conversations(request.user), pk=pk)
    return get_object_or_404(MessageAttachment, pk=file_pk, message__conversation=conversation).response()
