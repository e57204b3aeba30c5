"""The documented limits on what the commands accept (docs/reference/limits.md).

Every reader and every command option checks its input against these numbers
*before* any long work starts, and refuses beyond them with one line naming
the limit (exit status 2 on the command line).  They exist so that a short
hostile input (``"1e999999999"``, a million-digit integer, a 30-sender game
whose outcome sums 30^6 message vectors) can neither hang a command nor eat
the machine's memory.  Standard library only: the certificate checker
(:mod:`persuasion.checker`) reads them too.

The numbers are generous for every game the solver can finish; raising one
is a one-line change here, with the docs (``docs/reference/limits.md``) and
the tests that pin them.
"""

from __future__ import annotations

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest instance, profile or certificate file read (bytes)."""

MAX_NUMBER_CHARS = 10_000
"""Longest text of one exact number (``"p/q"``, decimal or JSON integer), in characters."""

MAX_EXPONENT = 10_000
"""Largest ``|e|`` in a decimal number written with an exponent (``"1.5e-3"``)."""

MAX_NESTING = 64
"""Deepest nesting of JSON arrays and objects in an input file."""

MAX_NAMES = 10_000
"""Most names in one list (states, actions, messages of one sender, features), and the
largest message count; a list of names meets the same limit as a count."""

MAX_SENDERS = 100
"""Most senders in one instance."""

MAX_PRIOR_ROWS = 250_000
"""Most cells ``(x_A, x_B, y)`` of a prior, ``|X_A| * |X_B| * |Y|`` (the table it is held in;
a map state -> probability has ``|X_B| = |Y|``), and most entries written in a prior."""

MAX_OUTCOME_TERMS = 1_000_000
"""Most terms an outcome sums: ``|X_A| * |X_B| * prod_i |M_i|`` (every feature pair and
every vector of messages, one per sender).  Evaluating a profile -- in the solver and in
the certificate checker alike -- walks these terms, so an instance beyond this is refused
when it is read.  The checker also walks an upper-bound witness (its completeness walk and
its branch-and-bound tree) in at most this many steps."""

MAX_CONVERSATION_NODES = 1_000_000
"""Most nodes of a conversation game (``rounds > 1`` or ``alice_messages > 1``: Algorithm 1
compiled into an explicit tree, :mod:`persuasion.conversation`), counted before it is built:
one chance node, then per chance outcome ``(x_A, x_B, y)`` of positive probability every
transcript's talking, answering and acting nodes and the leaves.  ``persuasion converse``
builds and solves about 2 * 10^5 nodes a second (half a million in 3 s, 150 MB;
docs/reference/limits.md); a history-keyed profile's table of one sender is bounded by it
too, and so is the certificate kernel's own replay of a conversation (``theorem-1``)."""

MAX_UTILITY_CELLS = 250_000
"""Most utility cells of an instance, Alice's and every sender's matrix together:
``(senders + 1) * |A| * |Y|``.  Reading a cell (schema and exact number) costs tens of
microseconds, so this bounds the time an instance takes to read (measured in
``docs/reference/limits.md``); the solver's programs grow far faster than it."""

MAX_RATINGS_CELLS = 2_000_000
"""Most cells of a ratings table (``persuasion hull``): items x (models + 1).  Each cell is read
exactly (a Fraction, a few microseconds) and the fits keep float copies; 100 models x 10,000
items is within it."""

MAX_HULL_EXACT_CELLS = 200_000
"""Largest ratings table (items x models) whose least-squares fits ``persuasion hull`` certifies
in rationals (KKT conditions checked exactly, :mod:`persuasion.hull_audit.kkt`; 1,000 x 100
takes about a second); beyond it those fits are float statistics only.  The sup-norm fit of
Definition 1 is certified exactly at any size."""

MAX_HULL_CURVE_WORK = 500_000_000_000
"""Most ``permutations * folds * models^3`` of ``persuasion hull``'s float curves: one order
fits every K = 1..N on every fold by warm-started active sets, about ``folds * N^3`` steps
(measured 5 * 10^8 to 1.2 * 10^9 of them a second on one core: 1,000 models x 10 items, 5
folds, 4.1 s an order).  The limit, 1,000 models x 100 orders x 5 folds, is 7 to 17 minutes
of one core; 1,500 models take 32 s an order, so at most 29 orders with 5 folds."""

MAX_HULL_EPSILON_WORK = 2_000_000_000
"""Most ``epsilon_orders * models^2 * items`` of ``persuasion hull``'s sup-norm curve: one order
solves Definition 1's LP for every K = 1..N (HiGHS, warm-started), about ``N^2 * items`` (measured
on one core: 100 models x 1,000 items 1.3 s an order, 400 x 1,000 13.5 s, 400 x 5,000 233 s).  The
limit, 10 orders of 400 models x 1,250 items, is a few minutes; fewer ``--epsilon-orders`` (0: no
curve; the full pool's eps is computed exactly whatever this says) make a larger table fit."""

MAX_ERROR_CHARS = 500
"""Longest error line printed (a longer one is cut, ending in ``...``)."""

MAX_RUNS = 100_000
"""Largest value of ``persuasion simulate --runs``."""

DASK_CONNECT_SECONDS = 5
"""How long ``persuasion simulate --dask ADDRESS`` waits for the scheduler before refusing the
address."""

MAX_ENCLOSURE_WORK = 65_536
"""Most ``bits * exponentials`` the kernel spends on one evaluation of an analytic claim's
enclosures (Lemmas 1-2 take one ``exp`` per action): 16 actions get the full 4,096 bits of
the precision ladder, 1,000 actions 64 bits.  Beyond it a claim is not proven (one line naming
this limit) instead of keeping ``persuasion check`` busy for minutes on a hostile instance."""

SOLVE_TIME_LIMIT = 120
"""Default of ``persuasion solve --time-limit`` (seconds): best-response dynamics that have not
stopped by then stop and report the best profile met, with its exact Nash gap and the status
``time-limit``.  A deadline checked inside every best response too (:mod:`persuasion.deadline`),
so a long one stops as well; ``--time-limit none`` lifts it."""

SOLVE_JUDGE_GRACE = 10
"""When the time limit of ``persuasion solve`` passes before the dynamics judged any profile, the
seconds (or the time limit itself, if longer) given to judging the profile reached, so that the
profile reported comes with its exact Nash gap; if that passes too, a best response takes longer
than the limit and the command says so in one line (exit status 2) instead of reporting a profile
without its gap."""

SOLVE_PATIENCE = 5
"""Default of ``persuasion solve --patience`` (rounds): best-response dynamics of which this many
rounds in a row each lower the smallest exact Nash gap met by at most ``--eta`` (the precision their
moves are rounded to) stop with the status ``stalled`` and report the best profile met with its
exact gap (dynamics that wander instead of settling otherwise run to ``--max-rounds``: 50 rounds, a
minute on a 3-sender game); ``--patience none`` lifts it."""

INTERRUPT_GRACE_SECONDS = 2
"""After Ctrl-C, how long the installed program lets its main thread stop cleanly (one line
on stderr, exit status 130) before it ends the process itself with the same line and status --
when the main thread is inside a long call of a C library that does not return to Python."""

MAX_RESTRICTED_PROFILES = 100_000
"""Most pure profiles of a restricted game (``persuasion export --gambit``): the product over the
senders of their numbers of schemes, ``C(K + |M_i| - 1, |M_i| - 1) ** |X_B|`` on the grid ``1/K``
(``|M_i| ** |X_B|`` deterministic schemes).  Counted before anything is built: every profile costs
one exact outcome (about 0.1 ms on the catalog's games) and one line of the ``.nfg`` file."""

MAX_RESTRICTED_NUMBERS = 1_000_000
"""Most numbers a restricted game holds: its payoffs (pure profiles x senders) and the probabilities
of its schemes (``schemes_i x |X_B| x |M_i|`` summed over the senders).  Bounds its memory and the
size of the ``.nfg`` file, which :func:`persuasion.gambit.read_nfg` checks too before reading the
payoffs (a sender with 10,000 messages has 10,000 deterministic schemes of 10,000 numbers each)."""

MAX_SUBSTITUTE_CHECKS = 20_000
"""Most checks of the information substitutes condition (Definition 14): one per action and pair
of non-empty feature sets, ``|A| (2^|X_A| - 1)(2^|X_B| - 1)`` over the features of positive
probability (``persuasion agree``, the ``theorem-5`` certificate and its check).  Counted before
any is made; beyond it the condition is not decided (one line naming this limit)."""

MAX_CONVERSATION_WORK = 5_000_000
"""Most steps of an exact straightforward conversation (Definition 10, ``persuasion agree``):
``|X_A| |X_B| |A| (|Y| + |X_A| + |X_B|)``, the belief sums of every round up to the last one
(a round that refines nothing, at the latest after ``|X_A| + |X_B| - 1`` rounds for each pair).
Counted before any round; beyond it the command refuses with one line naming this limit."""
MAX_QUANTAL_EXPONENTIALS = 1_000_000
"""Most exponentials one quantal evaluation encloses (``persuasion verify`` and the kernel's
``theorem-2`` on a quantal instance): situations ``|X_A| * |X_B| * prod_i |M_i|`` times ``|A|``
times the outcomes computed (the profile, Alice hearing C* alone, each sender deviating to C*:
``senders + 2``); after ``R`` rounds of straightforward reports the steps of the transcript
walk, ``|X_A| * sum_{r <= R} (prod_i |M_i|)^r`` (:func:`persuasion.checker.quantal.walk_size`),
take the place of the situations.  Each costs a few microseconds of ball arithmetic plus exact
beliefs; beyond this a command refuses in one line instead of computing for minutes."""

MAX_QRE_GRID_WORK = 2_000_000
"""Most ``grid points * situations * |A|`` of one sender's deviation bound under quantal response
(:mod:`persuasion.qre.deviation`): the grid of posteriors over ``x_B`` is the finest whose work
fits; when even the coarsest grid (step 1/2) does not fit, ``verify`` refuses in one line naming
this limit."""

MAX_QUANTAL_EXPONENT = 1 << 16
"""Largest ``lambda * (max u_A - min u_A)`` of a quantal instance ``verify`` and the kernel's
``theorem-2`` accept: every exponent of Alice's softmax, shifted by the largest, lies in
``[-that, 0]``.  Beyond it her response is her best response to within ``e^-65536`` (Lemma 1), and
the enclosures would cost more than they tell."""
