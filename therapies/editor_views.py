"""The editor's Markdown preview and image upload (django-markdownx's endpoints), hardened:
staff only, a bounded amount of work per request, and a clear 4xx for anything malformed.

markdownx's own views read `request.POST["content"]` unchecked (a missing field was a 500)
and render whatever size is posted; these wrap them rather than replace them.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from therapies.markdown import render_markdown, validate_markdown_size


@require_POST
@staff_member_required
@ratelimit(key="user", rate=lambda group, request: settings.MARKDOWN_PREVIEW_RATE, block=True)
def markdown_preview(request):
    """The body as readers will see it, rendered and sanitized on the server."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("Nothing to preview: post the Markdown as `content`.")
    try:
        validate_markdown_size(content)
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    return HttpResponse(render_markdown(content))
