"""The interviewers: the built-in rubric interviewer and the LLM-backed one."""
