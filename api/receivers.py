"""What the API keeps from before retires when readers' view changes: the
subscribers of ``articles.reader_changes``' one event (sent once per
transaction, after the commit), connected in ``ApiConfig.ready``.

- Stored article documents (``api.documents``, stage ``FORGET``): those
  showing the image, document, page, embed or tag that changed, those linking
  to any page when one moved, and all of them when a site changed; in one
  statement. An article's own publication needs nothing more: its document
  names the version it was built from.
- Kept answers (``api.response_cache``, stage ``RETIRE``, after the change
  log and the documents are up to date): a new content version, which also
  purges the cache tier (``api.purge``); with a read replica, once more when
  the replica has replayed the change (``cms.replicas``); and when a backup
  was restored (``cms.backups.database_restored``).
"""

from api import documents, response_cache
from articles import reader_changes
from articles.reader_changes import ReaderChange, Stage
from cms import replicas
from cms.backups import database_restored


def forget_documents(change: ReaderChange) -> None:
    if change.documents or change.refreshed:
        documents.forget(references=change.documents, article_ids=change.refreshed)


def retire_answers(change: ReaderChange) -> None:
    if change.retires_answers:
        response_cache.new_content_version()
        replicas.when_replayed(response_cache.new_content_version)


def restored(sender, **kwargs) -> None:
    response_cache.new_content_version()


def connect() -> None:
    reader_changes.subscribe("api.documents", forget_documents, stage=Stage.FORGET)
    reader_changes.subscribe("api.answers", retire_answers, stage=Stage.RETIRE)
    # A backup restored: everything kept was built from other data.
    database_restored.connect(restored, dispatch_uid="api.answers.restored")
