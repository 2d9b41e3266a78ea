"""Resumes: reading uploaded files into text, and text into ResumeData."""
