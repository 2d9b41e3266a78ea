"""Mapping between domain objects and the JSON documents stored in JSON/JSONB columns."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from interview_platform.core.evaluation.report import (
    ActionItem,
    CompetencyScore,
    EvaluationReport,
    Feedback,
    ImprovementPlan,
    ModeAnalysis,
)
from interview_platform.core.models import (
    CommunicationMode,
    Education,
    ExperienceLevel,
    JSONDict,
    ProblemBrief,
    ResumeData,
    Session,
    SessionConfig,
    SessionStatus,
    WorkExperience,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def resume_to_dict(resume: ResumeData) -> JSONDict:
    return asdict(resume) | {"experience_level": resume.experience_level.value}


def resume_from_dict(data: JSONDict) -> ResumeData:
    return ResumeData(
        user_id=data["user_id"],
        name=data.get("name") or "",
        email=data.get("email") or "",
        experience_level=ExperienceLevel(data["experience_level"]),
        years_of_experience=int(data["years_of_experience"]),
        domain_expertise=list(data.get("domain_expertise") or []),
        work_experience=[WorkExperience(**item) for item in data.get("work_experience") or []],
        education=[Education(**item) for item in data.get("education") or []],
        skills=list(data.get("skills") or []),
        raw_text=data.get("raw_text") or "",
    )


def session_metadata(session: Session) -> JSONDict:
    """What the sessions table keeps in its `metadata` column."""
    resume = session.config.resume_data
    return {
        "started_at": _iso(session.started_at),
        "paused_at": _iso(session.paused_at),
        "paused_seconds": session.paused_seconds,
        "duration_minutes": session.config.duration_minutes,
        "resume": resume_to_dict(resume) if resume else None,
        "problem": problem_to_dict(session.problem) if session.problem else None,
    }


def problem_to_dict(problem: ProblemBrief) -> JSONDict:
    return asdict(problem) | {"level": problem.level.value}


def problem_from_dict(data: JSONDict) -> ProblemBrief:
    return ProblemBrief(
        title=data["title"],
        statement=data["statement"],
        level=ExperienceLevel(data["level"]),
        slug=data.get("slug"),
    )


def session_from_columns(
    *,
    session_id: str,
    user_id: str,
    created_at: datetime,
    ended_at: datetime | None,
    status: str,
    enabled_modes: list[str],
    ai_provider: str,
    ai_model: str,
    metadata: JSONDict | None,
) -> Session:
    meta = metadata or {}
    resume = meta.get("resume")
    problem = meta.get("problem")
    config = SessionConfig(
        enabled_modes=[CommunicationMode(mode) for mode in enabled_modes],
        ai_provider=ai_provider,
        ai_model=ai_model,
        resume_data=resume_from_dict(resume) if resume else None,
        duration_minutes=meta.get("duration_minutes"),
    )
    return Session(
        id=str(session_id),
        user_id=user_id,
        created_at=created_at,
        ended_at=ended_at,
        status=SessionStatus(status),
        config=config,
        started_at=_from_iso(meta.get("started_at")),
        paused_at=_from_iso(meta.get("paused_at")),
        paused_seconds=float(meta.get("paused_seconds") or 0.0),
        problem=problem_from_dict(problem) if problem else None,
    )


def evaluation_columns(report: EvaluationReport) -> JSONDict:
    """The evaluations table's columns for a report."""
    return {
        "session_id": report.session_id,
        "overall_score": report.overall_score,
        "competency_scores": {k: asdict(v) for k, v in report.competency_scores.items()},
        "feedback": {
            "went_well": [asdict(f) for f in report.went_well],
            "went_okay": [asdict(f) for f in report.went_okay],
            "needs_improvement": [asdict(f) for f in report.needs_improvement],
        },
        "improvement_plan": asdict(report.improvement_plan),
        "communication_analysis": asdict(report.communication_mode_analysis),
        "created_at": report.created_at,
    }


def evaluation_from_columns(columns: dict[str, Any]) -> EvaluationReport:
    feedback = columns["feedback"]
    plan = columns["improvement_plan"]
    return EvaluationReport(
        session_id=str(columns["session_id"]),
        overall_score=float(columns["overall_score"]),
        competency_scores={
            name: CompetencyScore(**score) for name, score in columns["competency_scores"].items()
        },
        went_well=[Feedback(**f) for f in feedback["went_well"]],
        went_okay=[Feedback(**f) for f in feedback["went_okay"]],
        needs_improvement=[Feedback(**f) for f in feedback["needs_improvement"]],
        improvement_plan=ImprovementPlan(
            priority_areas=list(plan["priority_areas"]),
            concrete_steps=[ActionItem(**step) for step in plan["concrete_steps"]],
            resources=list(plan["resources"]),
        ),
        communication_mode_analysis=ModeAnalysis(**columns["communication_analysis"]),
        created_at=columns["created_at"],
    )
