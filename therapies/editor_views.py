"""The editor's Markdown preview and image upload (django-markdownx's endpoints), hardened:
staff only, a bounded amount of work per request, and a clear 4xx for anything malformed.

markdownx's own views read `request.POST["content"]` unchecked (a missing field was a 500)
and render whatever size is posted; these wrap them rather than replace them.
"""

import io
import uuid

from django import forms
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from PIL import Image

from therapies.citations import number_markers
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
    # Markers numbered in order of first appearance: the order the saved version's
    # references take (workflow.edit orders them so).
    return HttpResponse(number_markers(render_markdown(content)))


# --- figures -----------------------------------------------------------------------------------

# What a figure may be, by its content (never by the name or type the browser declares):
# format → file extension. SVG is refused: it can carry script.
FIGURE_FORMATS = {"PNG": "png", "JPEG": "jpg"}
# Pixels decoded at most (a small file can declare a huge canvas), and the longest side kept.
MAX_FIGURE_PIXELS = 40_000_000
MAX_FIGURE_SIDE = 2000


class FigureForm(forms.Form):
    # Django's ImageField opens the upload with Pillow and refuses what is not an image.
    image = forms.ImageField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            raise ValidationError(f"A figure is at most "
                                  f"{settings.MARKDOWNX_UPLOAD_MAX_SIZE // 2**20} MB.")  # fmt: skip
        if upload.image.format not in FIGURE_FORMATS:
            raise ValidationError("A figure is a PNG or JPEG image.")
        width, height = upload.image.size
        if width * height > MAX_FIGURE_PIXELS:
            raise ValidationError("The image is too large to process.")
        return upload


def reencoded(upload) -> tuple[bytes, str]:
    """The upload decoded and written afresh (no metadata, no trailing bytes, at most
    MAX_FIGURE_SIDE a side): the bytes and their file extension."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        kind = image.format
        image.thumbnail((MAX_FIGURE_SIDE, MAX_FIGURE_SIDE))
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue(), FIGURE_FORMATS[kind]


@require_POST
@staff_member_required
def figure_upload(request):
    """markdownx's drag-and-drop upload: `{"image_code": "![](url)"}`, or 400 with why."""
    form = FigureForm(files=request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    data, extension = reencoded(form.cleaned_data["image"])
    name = default_storage.save(f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4()}.{extension}",
                                ContentFile(data))  # fmt: skip
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})
