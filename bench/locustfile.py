"""The read mix for locust: a few clients, no think time, each request a page picked at random.

``bench/run.py`` starts locust with this file and passes the pages in ``BENCH_TARGETS`` (JSON: a list
of ``{"name", "path", "headers"}``), once with the floor view alone and once with the heavy pages.
"""

import json
import os
import random

from locust import FastHttpUser, constant, task

TARGETS = json.loads(os.environ["BENCH_TARGETS"])


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self):
        target = random.choice(TARGETS)
        self.client.get(target["path"], headers=target["headers"], name=target["name"])
