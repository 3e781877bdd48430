"""The provincial office's named bulletins (点名通报): drafts, issue, the issued text and
its PDF."""

from django.http import Http404


def index(request):
    raise Http404


def edit(request, pk=None):
    raise Http404


def detail(request, pk):
    raise Http404


def issue(request, pk):
    raise Http404


def pdf(request, pk):
    raise Http404
