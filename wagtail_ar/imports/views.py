"""The admin views of an import: upload, progress and preview, status (JSON), confirm.

They are the ``import/`` URLs of every :class:`~wagtail_ar.viewsets.ImportableSnippetViewSet`
and need both the add and the change permission of its model (403 otherwise). A job is seen and
confirmed only by the user who uploaded it, or by a superuser (404 for anyone else).
"""

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..importers import IMPORTERS
from ..models import ImportJob, ImportJobStatus
from .forms import ImportUploadForm
from .jobs import get_progress, start_check, start_import

#: Seconds between two looks at a running job (the page's refresh and the script's polling).
POLL_SECONDS = 2
#: Rows of the preview shown on one page (``?page=``); the summary lists every problem.
PREVIEW_PER_PAGE = 500


class ImportViewMixin(WagtailAdminTemplateMixin):
    """What every import view of one snippet model shares: its importer, its URLs, the checks."""

    model = None
    importer_class = None
    index_url_name = None
    import_url_name = None
    import_job_url_name = None
    import_status_url_name = None
    import_confirm_url_name = None
    header_icon = "upload"
    breadcrumbs_items = []
    _show_breadcrumbs = True

    def dispatch(self, request, *args, **kwargs):
        if not user_may_import(self.model, request.user):
            # A real 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def kind(self):
        return next(k for k, importer in IMPORTERS.items() if importer is self.importer_class)

    @cached_property
    def index_url(self):
        return reverse(self.index_url_name)

    def get_page_title(self):
        return _("Import %(items)s") % {"items": self.model._meta.verbose_name_plural}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": self.model._meta.verbose_name_plural.capitalize()},
            {"url": "", "label": _("Import")},
        ]

    def get_job(self):
        """The job of the URL, if the user may see it; else 404."""
        job = (
            ImportJob.objects.visible_to(self.request.user)
            .filter(pk=self.kwargs["job_id"], kind=self.kind)
            .first()
        )
        if job is None:
            raise Http404(_("There is no such import."))
        return job

    def job_url(self, job, name):
        return reverse(name, args=[job.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            index_url=self.index_url,
            upload_url=reverse(self.import_url_name),
            importer=self.importer_class,
            model_opts=self.model._meta,
            required_columns=self.importer_class.required_columns,
        )
        return context


def user_may_import(model, user):
    """Whether ``user`` may import ``model``: they need both its add and change permissions."""
    opts = model._meta
    return all(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("add", "change")
    )


class ImportUploadView(ImportViewMixin, FormView):
    """Step 1: choose a file. It is stored and its dry run started."""

    form_class = ImportUploadForm
    template_name = "wagtail_ar/admin/import_upload.html"

    def form_valid(self, form):
        ImportJob.objects.stale().delete()
        with transaction.atomic():
            job = ImportJob.objects.create(
                kind=self.kind,
                filename=form.cleaned_data["file"].name[:255],
                file_format=form.file_format,
                data=form.data_bytes,
                user=self.request.user,
                language=get_language() or "",
            )
            start_check(job)
        return redirect(self.job_url(job, self.import_job_url_name))


class ImportJobView(ImportViewMixin, TemplateView):
    """Step 2: the progress of a running job, then its preview (or the problems that refuse
    it), and the confirmation; a job imported is shown once, as a message on the listing."""

    template_name = "wagtail_ar/admin/import_job.html"

    def get(self, request, *args, **kwargs):
        self.job = self.get_job()
        if self.job.status == ImportJobStatus.DONE:
            counts = self.job.report.get("counts", {})
            messages.success(
                request,
                _(
                    "%(label)s imported: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "label": self.importer_class.label(),
                    "created": counts.get("created", 0),
                    "updated": counts.get("updated", 0),
                    "unchanged": counts.get("unchanged", 0),
                },
            )
            self.job.delete()
            return redirect(self.index_url)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        done, total = get_progress(job)
        report = job.report or {}
        preview = preview_table(report)
        paginator = Paginator(preview["rows"], PREVIEW_PER_PAGE, allow_empty_first_page=True)
        preview_page = paginator.get_page(self.request.GET.get("page"))
        preview["rows"] = preview_page.object_list
        context.update(
            job=job,
            done=done,
            total=total,
            poll_seconds=POLL_SECONDS,
            status_url=self.job_url(job, self.import_status_url_name),
            confirm_url=self.job_url(job, self.import_confirm_url_name),
            form=ImportUploadForm(),
            report=report,
            counts=report.get("counts", {}),
            preview=preview,
            preview_page=preview_page,
            file_problems=[p for p in report.get("problems", []) if p["row"] is None],
            row_problems=[p for p in report.get("problems", []) if p["row"] is not None],
        )
        return context


def preview_table(report):
    """The rows of the preview: for each row of the file, its outcome and its cells, each cell
    ``{"text", "old", "problems", "id"}`` (``old``: the stored text it changes)."""
    header = report.get("header", [])
    by_cell, by_row = {}, {}
    for index, problem in enumerate(report.get("problems", [])):
        problem = {**problem, "id": f"problem-{index}"}
        if problem["row"] is None:
            continue
        if problem["column"] in header:
            by_cell.setdefault((problem["row"], problem["column"]), []).append(problem)
        else:
            by_row.setdefault(problem["row"], []).append(problem)
    rows = []
    for row in report.get("rows", []):
        number = row["row"]
        cells = []
        for column in header:
            changes = row.get("changes", {})
            cells.append(
                {
                    "column": column,
                    "text": row["cells"].get(column, ""),
                    "changed": column in changes,
                    "old": changes.get(column, ""),
                    "problems": by_cell.get((number, column), []),
                }
            )
        rows.append(
            {
                "number": number,
                "outcome": row["outcome"],
                "cells": cells,
                "problems": by_row.get(number, []),
            }
        )
    return {"header": header, "rows": rows}


class ImportStatusView(ImportViewMixin, View):
    """The JSON the progress page polls: ``{"status", "done", "total", "running"}``."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        done, total = get_progress(job)
        return JsonResponse(
            {
                "status": job.status,
                "running": job.is_running,
                "done": done,
                "total": total,
                "url": self.job_url(job, self.import_job_url_name),
            }
        )


class ImportConfirmView(ImportViewMixin, View):
    """Step 3 (POST): import the previewed file for real, once."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        with transaction.atomic():
            started = ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.READY).update(
                status=ImportJobStatus.IMPORTING, done=0
            )
            if started:
                start_import(job)
        if not started:
            messages.error(
                request,
                _(
                    "This import cannot be confirmed: it has already been confirmed, or it has problems."
                ),
            )
        return redirect(self.job_url(job, self.import_job_url_name))
