"""Screenshot the page of ``mtfix serve`` with the seed article repaired (headless Chromium).

    python eval/screenshot_serve.py [OUT.png] [--no-model] [--size 1400,2600]

Starts ``mtfix serve`` on a free loopback port (the default model unless ``--no-model``),
opens the page in Debian's chromium through Selenium and chromedriver, pastes the seed
article, presses Repair, waits for the answer and saves the window. Default output:
``eval/results/serve-page-<date>.png``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT
from load_serve import free_port, start_server

SEED = ROOT / "samples" / "lavrov-de-mistura.mt.txt"


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=ROOT / "eval" / "results" / f"serve-page-{dt.date.today()}.png",
    )
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--size", default="1400,2600")
    args = parser.parse_args()  # fmt: skip
    port = free_port()
    server = start_server(port, ["--checker", "offline"] + (["--no-model"] * args.no_model))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or sys.exit("chromium not found")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={args.size}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.get(f"http://127.0.0.1:{port}/")
        script = "document.getElementById('source').value = arguments[0]"
        driver.execute_script(script, SEED.read_text(encoding="utf-8"))
        driver.find_element(By.ID, "repair").click()
        found = ec.text_to_be_present_in_element((By.ID, "status"), "edit")
        WebDriverWait(driver, 600).until(found)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.out))
        print(f"{driver.find_element(By.ID, 'status').text}; wrote {args.out}")
    finally:
        driver.quit()
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
