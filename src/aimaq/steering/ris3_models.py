"""Tables of the RIS3 self-assessment: one assessment per region, assessor and date, one score per criterion.

Design (see ``docs/methodologies/seed000_ris3_wheel.md``):

- An assessment is never edited: scoring a region again records a new :class:`Ris3Assessment`, so the table
  is the history (several assessors per region, several rounds per assessor). "Current" means the latest
  assessment of each assessor (:func:`aimaq.steering.ris3.latest`).
- Each :class:`Ris3Score` holds the criterion id of ``reference/seed000_ris3_criteria.csv`` (``c01`` ...
  ``c18``), the score on the assessment's scale and the evidence note (quote and page) that seed-000.md, M4.3
  step 2, asks for with every score.
- ``region`` is a territory code without a foreign key, like the steering tables: ``Store.reset`` drops the
  store's tables in its own order; :mod:`aimaq.steering.ris3` checks the code against the gazetteer first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aimaq.store.models import Base

__all__ = ["Ris3Assessment", "Ris3Score"]

#: Scale ids: the seed's adapted {0, 0.5, 1} (l.114-115) and the EC's original 0-5 (l.110-112).
SCALE_IDS: tuple[str, ...] = ("adapted", "ec")


class Ris3Assessment(Base):
    """One self-assessment of a region's strategy by one assessor on one date."""

    __tablename__ = "ris3_assessment"
    __table_args__ = (
        Index("ix_ris3_assessment_region_assessed_on", "region", "assessed_on"),
        CheckConstraint("scale IN ('adapted', 'ec')", name="scale"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(64))
    assessor: Mapped[str] = mapped_column(String(255))
    scale: Mapped[str] = mapped_column(String(16))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    document: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    scores: Mapped[list[Ris3Score]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Ris3Score.criterion"
    )


class Ris3Score(Base):
    """The score of one criterion in one assessment, with its evidence note."""

    __tablename__ = "ris3_score"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 5", name="score_range"),)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("ris3_assessment.id", ondelete="CASCADE"), primary_key=True
    )
    criterion: Mapped[str] = mapped_column(String(8), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    assessment: Mapped[Ris3Assessment] = relationship(back_populates="scores")
