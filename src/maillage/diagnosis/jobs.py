"""Background jobs: run a diagnosis or an optimisation off the request, with
progress stored in the database for the page to poll.

A single worker thread per process keeps the machine responsive; with
MAILLAGE_JOBS_INLINE (tests, commands) the job runs at once in the caller.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

log = logging.getLogger(__name__)
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="maillage-job")

Progress = Callable[[int, str], None]


def _progress(job_id: int) -> Progress:
    def report(percent: int, message: str) -> None:
        Job.objects.filter(pk=job_id).update(progress=percent, message=message[:200])

    return report


def run(job_id: int, work: Callable[[dict, Progress], dict]) -> None:
    try:
        job = Job.objects.get(pk=job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.RUNNING, message=_("Calcul en cours…")
        )
        result = work(job.params, _progress(job_id))
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE,
            progress=100,
            result=result,
            finished_at=timezone.now(),
            message=_("Terminé"),
        )
    except Exception as exc:  # a failed job must say so, not vanish
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            message=_("Le calcul a échoué."),
            finished_at=timezone.now(),
        )


def _run_in_thread(job_id: int, work: Callable[[dict, Progress], dict]) -> None:
    # A worker thread has its own database connection: open it fresh and
    # close it after, as a request would. (Never in the caller's thread, where
    # it would close a connection that may be inside a transaction.)
    close_old_connections()
    try:
        run(job_id, work)
    finally:
        close_old_connections()


def start(kind: str, params: dict, work: Callable[[dict, Progress], dict], user=None) -> Job:
    job = Job.objects.create(kind=kind, params=params, created_by=user)
    if getattr(settings, "MAILLAGE_JOBS_INLINE", False):
        run(job.pk, work)
        job.refresh_from_db()
        return job
    # The worker must see the committed job row.
    transaction.on_commit(lambda: _executor.submit(_run_in_thread, job.pk, work))
    return job
