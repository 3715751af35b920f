"""The composite-indicator engine: methodology specs, the pipeline, results and reproduction reports.

``Methodology.from_yaml(path).compute(data) -> Result``; see ``docs/engine.md``.
"""

from aimaq.engine.errors import SpecErrors, SpecProblem
from aimaq.engine.pipeline import compute
from aimaq.engine.result import Explanation, Result, StepRecord
from aimaq.engine.spec import Methodology

__all__ = ["Explanation", "Methodology", "Result", "SpecErrors", "SpecProblem", "StepRecord", "compute"]
