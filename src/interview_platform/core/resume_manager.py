"""ResumeManager: a resume file in, a validated ResumeData saved per user out.

Files are read by content, never trusted by name (`resume/reading.py`), a PDF in a child
process bounded in time and memory (`resume/child.py`). Extraction is offline
by default (`resume/extraction.py`); with an AI provider, a model reads the facts and our rules
still set years, level and domains (`resume/llm.py`), falling back to the offline extractor
if the provider fails. The candidate may correct the level and domains before starting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from interview_platform.core.models import (
    ExperienceLevel,
    ResumeData,
    clean_text,
    parse_choice,
    validate_user_id,
)
from interview_platform.core.ports.chat import BUILTIN, ProviderLookup
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.monitoring import AuditLog, UsageRecorder
from interview_platform.core.resume.child import read_resume_in_child
from interview_platform.core.resume.domains import DOMAINS, domain_expertise
from interview_platform.core.resume.extraction import extract_resume
from interview_platform.core.resume.levels import experience_level
from interview_platform.core.resume.llm import OPERATION, extract_with_model
from interview_platform.core.resume.reading import (
    DEFAULT_LIMITS,
    ResumeLimits,
    too_large_message,
)
from interview_platform.errors import AIProviderError, ValidationError

COMPONENT = "ResumeManager"
MAX_PASTED_CHARS = 50_000  # about 15 pages of text


class ResumeManager:
    def __init__(
        self,
        data_store: DataStore,
        logger: AuditLog,
        *,
        limits: ResumeLimits = DEFAULT_LIMITS,
        providers: ProviderLookup | None = None,
        tracker: UsageRecorder | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._store = data_store
        self._logger = logger
        self._limits = limits
        self._pdf_slots = threading.BoundedSemaphore(limits.max_parallel)
        self._providers = providers
        self._tracker = tracker
        self._today = today

    def parse_resume(
        self,
        source: str | Path | bytes,
        user_id: str = "",
        *,
        provider: str = BUILTIN,
        model: str | None = None,
    ) -> ResumeData:
        """ResumeData from a file path or the file's bytes; nothing is saved."""
        text = read_resume_in_child(self._read(source), self._limits, self._pdf_slots).text
        if provider != BUILTIN and self._providers is not None:
            parsed = self._parse_with_model(text, user_id, provider, model)
            if parsed is not None:
                return parsed
        return extract_resume(text, user_id, self._today())

    def upload_resume(
        self,
        source: str | Path | bytes,
        user_id: str,
        *,
        provider: str = BUILTIN,
        model: str | None = None,
    ) -> ResumeData:
        """Parse the file and save it as the user's resume (replacing an earlier one)."""
        owner = validate_user_id(user_id)
        resume = self.parse_resume(source, owner, provider=provider, model=model)
        self.save_resume(owner, resume)
        self._logger.info(
            COMPONENT,
            "upload_resume",
            "resume_saved",
            user_id=owner,
            experience_level=resume.experience_level.value,
            years_of_experience=resume.years_of_experience,
        )
        return resume

    def paste_resume(
        self,
        text: str,
        user_id: str,
        *,
        provider: str = BUILTIN,
        model: str | None = None,
    ) -> ResumeData:
        """Read pasted resume text as an uploaded text file is read, and save it."""
        text = clean_text(text)
        if not text.strip():
            raise ValidationError("Paste your resume's text first: the box is empty.")
        if len(text) > MAX_PASTED_CHARS:
            raise ValidationError(
                f"The pasted text is {len(text):,} characters; the limit is "
                f"{MAX_PASTED_CHARS:,}. Paste the resume only: experience, skills, education."
            )
        return self.upload_resume(text.encode("utf-8"), user_id, provider=provider, model=model)

    @property
    def max_file_bytes(self) -> int:
        """The largest resume file accepted."""
        return self._limits.max_bytes

    def correct_resume(
        self,
        user_id: str,
        *,
        experience_level: ExperienceLevel | str | None = None,
        domain_expertise: Sequence[str] | None = None,
    ) -> ResumeData:
        """Save the candidate's own level and domains over the extracted ones, read and
        written as one unit of work."""
        level = None
        if experience_level is not None:
            level = parse_choice(ExperienceLevel, experience_level, "level")
        domains = _domains(domain_expertise) if domain_expertise is not None else None
        with self._store.transaction() as unit:
            resume = unit.store.get_resume(validate_user_id(user_id))
            if resume is None:
                raise ValidationError("Upload a resume before correcting it.")
            if level is not None:
                resume = replace(resume, experience_level=level)
            if domains is not None:
                resume = replace(resume, domain_expertise=domains)
            unit.store.save_resume(resume)
            unit.commit()
        return resume

    def extract_experience_level(self, resume_data: ResumeData) -> str:
        """The level the resume's years and most recent title point to."""
        titles = [job.title for job in resume_data.work_experience]
        return experience_level(resume_data.years_of_experience, titles).value

    def extract_domain_expertise(self, resume_data: ResumeData) -> list[str]:
        titles = [job.title for job in resume_data.work_experience]
        experience = "\n".join(job.description for job in resume_data.work_experience)
        return domain_expertise(resume_data.skills, titles, resume_data.raw_text, experience)

    def get_resume(self, user_id: str) -> ResumeData | None:
        return self._store.get_resume(validate_user_id(user_id))

    def save_resume(self, user_id: str, resume_data: ResumeData) -> None:
        self._store.save_resume(replace(resume_data, user_id=validate_user_id(user_id)))

    def _read(self, source: str | Path | bytes) -> bytes:
        if isinstance(source, bytes):
            return source
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > self._limits.max_bytes:
                raise ValidationError(too_large_message(size, self._limits.max_bytes))
            return path.read_bytes()
        except OSError as exc:
            raise ValidationError(f"Cannot read {path.name}: {exc.strerror}.") from exc

    def _parse_with_model(
        self, text: str, user_id: str, provider: str, model: str | None
    ) -> ResumeData | None:
        assert self._providers is not None
        try:
            chat = self._providers(provider, model)
            resume, result = extract_with_model(text, chat, user_id, self._today())
        except AIProviderError as exc:
            self._logger.log_error(COMPONENT, "parse_resume", exc, context={"fallback": BUILTIN})
            return None
        if self._tracker is not None:
            self._tracker.record_user_usage(
                user_id or "anonymous",
                OPERATION,
                result.provider,
                result.model,
                result.input_tokens,
                result.output_tokens,
                estimated=result.usage_estimated,
                duration_ms=result.duration_ms,
            )
        return resume


def _domains(values: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(clean_text(v).strip().lower() for v in values if v.strip()))
    unknown = [d for d in chosen if d not in DOMAINS]
    if unknown:
        raise ValidationError(
            f"Unknown domains: {', '.join(d[:30] for d in unknown)}. "
            f"Choose from {', '.join(DOMAINS)}."
        )
    return chosen
