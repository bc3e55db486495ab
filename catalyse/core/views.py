from django.shortcuts import render

from . import files


def home(request):
    return render(request, "core/home.html")


def about(request):
    return render(request, "core/about.html")


def media_file(request, path):
    """An uploaded file (MEDIA_URL), with the permission of the object that owns it (see core/files.py)."""
    return files.file_response(request, path)
