"""Model folders of the Python-backend baselines (bench/baselines/python_backend)."""
import shutil

from harness.paths import BASELINES, BUILD


def python_model_folder(repo, baseline, name, model_dir, max_length, parameters=None):
    """repo/NAME: the Python-backend baseline BASELINES/BASELINE (its model.py
    and config.pbtxt) on MODEL_DIR, with `parameters` added to its config."""
    source = BASELINES / baseline
    (repo / name / "1").mkdir(parents=True)
    shutil.copy2(source / "1" / "model.py", repo / name / "1" / "model.py")
    config = (source / "config.pbtxt").read_text().replace(f'name: "{baseline}"', f'name: "{name}"')
    config = config.replace("@MODEL_DIR@", str(model_dir)).replace("@MAX_LENGTH@", str(max_length))
    # The python backend's stub embeds Debian's libpython3.11 and ignores
    # PYTHONPATH; EXECUTION_ENV_PATH names a venv of that Python whose
    # .pth file adds the project .venv's site-packages (bench/setup.sh).
    stub_env = BUILD / "stub-env"
    for key, value in {**(parameters or {}), "EXECUTION_ENV_PATH": stub_env}.items():
        config += f'parameters {{\n  key: "{key}"\n  value: {{ string_value: "{value}" }}\n}}\n'
    (repo / name / "config.pbtxt").write_text(config)
