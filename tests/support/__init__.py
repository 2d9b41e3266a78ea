"""Test support shared by the tests and the benchmarks (`benchmarks/`): a fake server speaking
the AI providers' HTTP protocols, the app in Chromium, and resume fixtures as real PDFs.

Dev-only: none of it ships with `interview_platform` (docs/adr/0008-dev-only-benchmarks.md)."""
