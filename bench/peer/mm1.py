"""Open-loop M/M/1 queue in SimPy 2.3 (Debian's python3-simpy): the peer of bench/peer/mm1.ts.

Poisson arrivals at rate LAMBDA, one server with exponential service at rate MU, FIFO. A model event is
an arrival or a departure, counted the same way on both sides. Prints one JSON line: customers,
model events, wall seconds, the mean sojourn time (theory: 1 / (MU - LAMBDA)).

    /usr/bin/python3 bench/peer/mm1.py CUSTOMERS [SEED]
"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

LAMBDA = 0.8  # arrivals per time unit
MU = 1.0  # services per time unit


class Stats:
    done = 0
    sojourn = 0.0
    events = 0


class Customer(Process):
    def visit(self, server, rng):
        arrived = now()
        yield request, self, server
        yield hold, self, rng.expovariate(MU)
        yield release, self, server
        Stats.events += 1  # the departure
        Stats.done += 1
        Stats.sojourn += now() - arrived


class Source(Process):
    def generate(self, customers, server, rng):
        for _ in range(customers):
            yield hold, self, rng.expovariate(LAMBDA)
            Stats.events += 1  # the arrival
            c = Customer()
            activate(c, c.visit(server, rng))


def main():
    customers = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    initialize()
    server = Resource(capacity=1)
    source = Source()
    activate(source, source.generate(customers, server, rng))
    t0 = time.perf_counter()
    simulate(until=1e18)
    wall = time.perf_counter() - t0
    print(json.dumps({
        "customers": Stats.done,
        "events": Stats.events,
        "wallS": wall,
        "meanSojourn": Stats.sojourn / Stats.done,
    }))


main()
