"""The worlds chapters build on: games, datasets and toy problems, one module per world, named
for what it is. A chapter's notebook keeps only the idea being taught; the world it is taught in
lives here, with its own unit tests.

- :mod:`alignment_lab.worlds.adversarial_digits` -- adversarial training on attacked copies of
  the digits, and a detector's training set (adversarial examples);
- :mod:`alignment_lab.worlds.assistance_game` -- a human with a hidden goal chooses from menus,
  a robot watches (CIRL and the off-switch);
- :mod:`alignment_lab.worlds.coin_grid` -- a square grid with a coin that sits in one corner
  during training, an expert that walks to it, and batched rollouts of any policy (goal
  misgeneralization);
- :mod:`alignment_lab.worlds.gridworld` -- a grid of cells with walls and absorbing cells as a
  tabular decision process (the agent chapters);
- :mod:`alignment_lab.worlds.offline_rl` -- logged episodes in small tabular decision processes
  (a grid with mixed-quality data, a lucky gamble, a noisy chain), weighted-count policies and
  offline Q-learning (imitation vs offline RL);
- :mod:`alignment_lab.worlds.permutation_powers` -- questions about powers of a hidden
  permutation, a one-step "human" that counts its labels, and a model trained on true answers or
  by iterated amplification (amplification and debate);
- :mod:`alignment_lab.worlds.pixel_debate` -- a judge that sees a few revealed pixels of a digit,
  and debates in which two debaters reveal one new pixel a turn (amplification and debate);
- :mod:`alignment_lab.worlds.power_seeking` -- a fork where one move keeps more terminal options
  than the other, gridworlds drawn as text, and i.i.d. reward distributions (power-seeking);
- :mod:`alignment_lab.worlds.preference_responses` -- vector "responses", a hidden gold reward
  and noisy Bradley-Terry comparisons of it (reward models and overoptimization);
- :mod:`alignment_lab.worlds.random_features` -- handwritten digits seen through frozen random
  ReLU features, for a closed-form read-out of any size (double descent);
- :mod:`alignment_lab.worlds.recurrent_thinking` -- random bit strings and weight-tied recurrent
  networks with or without recall, several trained side by side, scored after many iterations
  (implicit search);
- :mod:`alignment_lab.worlds.redundant_features` -- binary labels that every feature predicts,
  each with a strength of its own (gradient starvation);
- :mod:`alignment_lab.worlds.reward_pairs` -- rewards of transitions on a tabular decision
  process: potential shaping, the regret of optimizing a proxy, demonstrations, and random
  (true, disguised proxy) reward pairs (value learning's impossibility, and reward distances);
- :mod:`alignment_lab.worlds.sparse_parity` -- the parity of a few hidden positions of random
  sign strings, trained online (a loss plateau with hidden progress);
- :mod:`alignment_lab.worlds.superposition` -- toy models that store n sparse features in m < n
  dimensions and read them back, trained many at once, and what a model of two features did
  with its one dimension (superposition);
- :mod:`alignment_lab.worlds.trigger_digits` -- pixel positions of 8x8 digits, and an edge bar
  that clean digits almost never ink, for a backdoor trigger (backdoors, deception and gradient
  hacking);
- :mod:`alignment_lab.worlds.two_moons` -- two interleaving half circles (gradient starvation);
- :mod:`alignment_lab.worlds.weight_space` -- a network trained in a random subspace of its
  parameters or under a weight mask (which parameters matter);
- :mod:`alignment_lab.worlds.zero_sum_games` -- symmetric zero-sum games as payoff matrices:
  rock-paper-scissors, a ranking game, the disc game, Colonel Blotto, and a count of cyclic
  triples (games and cooperation).
"""
