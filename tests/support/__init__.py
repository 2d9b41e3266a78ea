"""Test support shared by the tests and the benchmarks (`benchmarks/`): a fake server speaking
the AI providers' HTTP protocols, the app in Chromium, resume fixtures as real PDFs, and a
third-party provider package installed into a folder.

Dev-only: none of it ships with `interview_platform` (docs/adr/0008-dev-only-benchmarks.md)."""
