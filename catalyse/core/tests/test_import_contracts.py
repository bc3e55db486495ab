import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_import_contracts_cover_every_app_and_views_module():
    """lint-imports only guards what pyproject.toml names: a new app or views module must be listed there."""
    result = subprocess.run([sys.executable, "scripts/import_contracts.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
