"""Checked exercises for notebook 01, The neuron."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from helpers.data import load_vending_machine, make_vending_machine
from helpers.exercises import Exercise, NotYet, as_array, as_pair, call, call_keeping_inputs, choose, expect_close

MSE_TARGET = 8.0


# q2: a function, checked on arrays the notebook never shows
def _check_leaky_relu(leaky_relu: Any) -> str:
    z = np.linspace(-5.0, 5.0, 21)
    result, (given,) = call_keeping_inputs(leaky_relu, z, what="leaky_relu(z)")
    got = as_array(result, "leaky_relu(z) for an array z", shape=z.shape)
    positive = z > 0
    expect_close(got[positive], z[positive], "leaky_relu(z) for positive z")
    expect_close(got[~positive], 0.1 * z[~positive], "leaky_relu(z) for negative z")
    grid = np.random.default_rng(1).normal(scale=30.0, size=(3, 4))  # a 2-D array of large numbers
    got = as_array(call(leaky_relu, grid, what="leaky_relu(z) for a 2-D array"),
                   "leaky_relu(z) for a 2-D array z", shape=grid.shape)
    expect_close(got, np.where(grid > 0, grid, 0.1 * grid), "leaky_relu(z) for a 2-D array z")
    done = "Positive inputs pass unchanged; negative ones keep a small slope of 0.1, for an array of any shape."
    if not np.array_equal(given, z):
        done += (" One warning: your function changed its input, so after `y = leaky_relu(z)` the array z is"
                 " changed too. Build a new array instead, e.g. with np.where.")
    return done


# q3: which neuron drew the mystery curve (multiple choice)
MYSTERY = {"w": 2.0, "b": -2.0}


def draw_mystery_neuron(ax: Any) -> None:
    """The output of the exercise's mystery neuron, ReLU(w·x + b), for x from -3 to 5."""
    x = np.linspace(-3, 5, 161)
    ax.plot(x, np.maximum(0, MYSTERY["w"] * x + MYSTERY["b"]), lw=2.5)
    ax.set(xlabel="input x", ylabel="output y", title="A mystery neuron", xticks=range(-3, 6), yticks=range(0, 10, 2))
    ax.grid(True, alpha=0.4)


def _check_mystery(answer: Any) -> str:
    choose(answer, "b", what="my_choice", why_not={
        "a": "ReLU(2x + 2) switches on where 2x + 2 = 0, at x = −1; the curve stays at zero until x = 1.",
        "c": "ReLU(x − 1) does switch on at x = 1, but it rises with slope 1 and reaches only 4 at x = 5, not 8.",
        "d": "a sigmoid never leaves the range (0, 1) and is never exactly flat at zero; this curve climbs to 8.",
    })
    return ("ReLU(2x − 2) is zero while 2x − 2 < 0, that is for x < 1, and then rises 2 per unit of x. The weight"
            " sets the slope; the bias, divided by the weight, sets where the neuron switches on: at x = −b/w.")


# q4: Fahrenheit back to Celsius
def _check_celsius_neuron(answer: Any) -> str:
    w, b = as_pair(answer, "celsius_neuron")
    # Judged by what the neuron does: 32 °F and 212 °F must come out within 0.5 °C of 0 °C and 100 °C. That accepts
    # (0.556, -17.8) and refuses (0.55, -17.8), which turns 212 °F into 98.8 °C.
    freezing, boiling = w * 32 + b, w * 212 + b
    if abs(freezing) <= 0.5 and abs(boiling - 100) <= 0.5:
        return "w = 1/1.8 and b = -32/1.8 undo the first neuron: 32 °F gives 0 °C and 212 °F gives 100 °C."
    if np.isclose(w, 1 / 1.8, rtol=0.01) and np.isclose(b, -32, rtol=0.01):
        raise NotYet(f"the weight is right, but 32 °F gives {freezing:.1f} °C instead of 0: in C = (F − 32) / 1.8 the"
                     " division applies to the 32 as well. Multiply the bracket out, then read off b.")
    rounded = " Close: a fraction such as `1 / 1.8` keeps the digits that rounding loses." if (
        np.allclose([w, b], [1 / 1.8, -32 / 1.8], rtol=0.03)) else ""
    raise NotYet(f"with these (w, b), 32 °F gives {freezing:.1f} °C and 212 °F gives {boiling:.1f} °C; they should"
                 f" give 0 °C and 100 °C (within 0.5 °C).{rounded}")


# q5: predict, then run: a bias as well, judged on the day left out (multiple choice, then the experiment)
@functools.lru_cache(maxsize=1)
def bias_left_out_draws(n_draws: int = 200) -> dict[str, float]:
    """Over the draws seeds 0..n_draws-1: how adding a bias to the two-input neuron changes its day-left-out MSE.

    Returns the number of draws where it raises / lowers that error, the median, smallest and largest change,
    and, among the draws where it lowers it, how many have a fitted bias of 2 bottles or more either way.
    """
    changes, biases = [], []
    for seed in range(n_draws):
        days = make_vending_machine(seed)
        without = np.column_stack([days.visitors, days.temperature_c]).astype(float)
        with_bias = np.column_stack([without, np.ones(len(days.visitors))])
        changes.append(_left_out_mse(with_bias, days.bottles_sold) - _left_out_mse(without, days.bottles_sold))
        biases.append(np.linalg.lstsq(with_bias, days.bottles_sold, rcond=None)[0][2])
    changes_arr, biases_arr = np.array(changes), np.array(biases)
    lowers = changes_arr < 0
    return {"raises": int(np.sum(changes_arr > 0)), "lowers": int(np.sum(lowers)),
            "median": float(np.median(changes_arr)), "min": float(changes_arr.min()), "max": float(changes_arr.max()),
            "big_bias": int(np.sum(np.abs(biases_arr[lowers]) >= 2.0))}


def _left_out_mse(inputs: np.ndarray, sold: np.ndarray) -> float:
    """Each day predicted by the least-squares weights of the other days; the mean squared error."""
    squared_errors = []
    for day in range(len(sold)):
        others = np.arange(len(sold)) != day
        weights = np.linalg.lstsq(inputs[others], sold[others], rcond=None)[0]
        squared_errors.append((inputs[day] @ weights - sold[day]) ** 2)
    return float(np.mean(squared_errors))


def _check_bias_left_out(answer: Any) -> str:
    choose(answer, "b", what="my_choice_5", why_not={
        "a": "on the days fitted a bias cannot hurt, because b = 0 is still one of its choices; on a day the fit"
             " never saw there is no such guarantee. A setting earns its place only if it captures something that"
             " comes back on new days.",
        "c": "the best bias on 49 days is almost never exactly 0: it follows a little of their noise, so it moves"
             " every prediction a little, and the error on the day left out changes with it.",
    })
    d = {key: f"{value:+.2f}".replace("-", "−") if isinstance(value, float) else value
         for key, value in bias_left_out_draws().items()}
    return ("The sales were made with no bias (section 6 says how), so on the 49 days the bias can only follow their"
            " noise, and that noise does not come back on the day left out. A setting that lowers the error on the"
            " days fitted can raise it on new days. That is a tendency, not a rule: over 200 draws the bias raises"
            f" the error on the day left out on {d['raises']} (median change {d['median']} bottles², from"
            f" {d['min']} to {d['max']}) and lowers it on the other {d['lowers']}: draws whose noise, by"
            " chance, lines up with what a bias can fit and the temperature weight cannot (on"
            f" {d['big_bias']} of the {d['lowers']} the fitted bias is 2 bottles or more, either way), and a"
            " pattern all the days share does come back on the day left out. Run the experiment below to see it on"
            " our days and on every draw.")


# q1: fit by hand with the sliders
def _check_good_fit(answer: Any) -> str:
    if isinstance(answer, dict):
        raise NotYet("give the two numbers as a pair in brackets, (w, b), not as a dictionary: for example"
                     ' (explorer.values["w"], explorer.values["b"]), as the cell does.')
    w, b = as_pair(answer, "(w, b)")
    data = load_vending_machine()
    mse = float(np.mean((data.bottles_sold - (w * data.visitors + b)) ** 2))
    if mse >= MSE_TARGET:
        raise NotYet(f"with these (w, b) the mean squared error is {mse:.1f}; get it below {MSE_TARGET:g}.")
    return f"Mean squared error {mse:.2f}, below {MSE_TARGET:g}."


# q6: two neurons side by side make a layer
CAFE_W = np.array([[0.12, 0.05], [0.44, 0.8]])  # rows: visitors, temperature; columns: bottles, ice creams
CAFE_B = np.array([0.0, -3.0])


def _check_cafe_layer(answer: Any) -> str:
    if answer is Ellipsis or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise NotYet("pass both parts together: q6.check((W_cafe, B_cafe)).")
    W = as_array(answer[0], "W_cafe")
    if W.shape != (2, 2):
        raise NotYet(f"W_cafe has shape {W.shape}; it needs one row per input (visitors, temperature) and one"
                     " column per output (bottles, ice creams).")
    if np.allclose(W, CAFE_W.T) and not np.allclose(W, CAFE_W):
        raise NotYet("W_cafe is transposed: X @ W multiplies each row of X (one day) by each *column* of W, so a"
                     " column must hold one neuron's weights, and a row one input's weights.")
    if np.allclose(W, CAFE_W[:, ::-1]):
        raise NotYet("the columns of W_cafe are swapped: column 0 should be the bottles neuron.")
    true_rule = CAFE_W.copy()
    true_rule[1, 0] = 0.45
    if np.allclose(W, true_rule):
        raise NotYet("the bottles neuron is section 6's, with w2 = 0.44 (0.45 is the true rule's weight, which a"
                     " neuron fitted to the days does not know).")
    if not np.allclose(W, CAFE_W):
        raise NotYet("W_cafe does not hold the right weights yet: the weight of input i in output j goes in row i,"
                     " column j.")
    B = as_array(answer[1], "B_cafe")
    if B.size != 2:
        raise NotYet(f"B_cafe holds {B.size} number{'s' if B.size != 1 else ''}; a layer adds one bias per output.")
    days = load_vending_machine()
    X = np.column_stack([days.visitors, days.temperature_c])[:5].astype(float)
    try:
        shape = (X @ W + B).shape
    except ValueError:
        shape = None
    if shape != (5, 2):
        result = "fails: the shapes (5, 2) and" if shape is None else f"has shape {shape}, not (5, 2), because of"
        raise NotYet(f"for five days, X @ W_cafe + B_cafe {result} B_cafe's shape {B.shape} do not line up. Give"
                     " B_cafe shape (2,): one bias per output, added to every day's row.")
    B = B.reshape(-1)
    if np.allclose(B, CAFE_B[::-1]):
        raise NotYet("the biases are in the wrong order: B_cafe[0] belongs to the bottles, B_cafe[1] to the ice"
                     " creams.")
    if not np.allclose(B, CAFE_B):
        raise NotYet("B_cafe is not right yet: which of the two neurons has a bias, and what is it?")
    return ("X @ W_cafe + B_cafe has shape (days, 2): every day's bottles in column 0 and ice creams in column 1,"
            " two neurons computed in one line. That is a layer.")


# q7: predict, then run: where the line through the origin goes wrong (multiple choice, then the experiment)
def _check_origin(answer: Any) -> str:
    choose(answer, "b", what="my_choice_7", why_not={
        "a": "the two answers pull against each other: if the line w = 0.20 predicted too many bottles on the quiet"
             " days, a line fitted to them alone would be less steep, below 0.20, not above. And at the left edge"
             " the line through the origin starts at 0 bottles, below the trend of the points.",
        "c": "the two answers agree with each other, but they describe a line that starts above the points. The"
             " line through the origin starts at 0 bottles, below the trend of the points, which meets the left"
             " edge near 9 bottles (the bias of your slider fit): on the quiet end it lies under the points.",
        "d": "the two answers pull against each other: if the line w = 0.20 predicts too few bottles on the quiet"
             " days, a line fitted to them alone must rise more steeply to reach them, so its weight is above 0.20,"
             " not below.",
    })
    return ("A line through the origin reaches a point (visitors, bottles) only with the weight bottles / visitors,"
            " and along the trend (about 0.12·visitors + 9.3, your slider fit) that ratio is larger on quiet days:"
            " 0.12 + 9.3/60 ≈ 0.28 at 60 visitors, 0.12 + 9.3/150 ≈ 0.18 at 150. One weight for all days is a"
            " compromise: too shallow for the quiet days (too few bottles there) and too steep for the busy ones"
            " (too many). The bias frees the height from the slope. Run the experiment below: how large is the"
            " error on the quiet days, and does it go the same way on other draws?")


q1 = Exercise(
    "Fit the vending machine by hand",
    _check_good_fit,
    ("Look at the error segments: if they hang down on the right and stand up on the left, the line is too steep;"
     " take w down by a few hundredths, then raise b until the segments on both sides are about equally long.",
     "Pick two points on the trend by eye, one at few visitors and one at many. Set w to the rise between them"
     " divided by the run (bottles per visitor), then move b until the line passes through them."),
    "# any (w, b) with a small enough error works, for example\nhand_fit = (0.12, 9.0)",
)
q2 = Exercise(
    "A leaky ReLU",
    _check_leaky_relu,
    ("A Python `if z > 0` cannot decide for a whole array at once; NumPy has a function that chooses element by"
     " element.",
     "`np.where(condition, a, b)` chooses element by element: a where the condition holds, b elsewhere. Which"
     " condition, which a and which b give z for z > 0 and 0.1·z otherwise?"),
    "def leaky_relu(z):\n    return np.where(z > 0, z, 0.1 * z)",
)
q3 = Exercise(
    "Which neuron drew this?",
    _check_mystery,
    ("Two clues: where the curve leaves zero, and how steeply it rises after that.",
     "ReLU(w·x + b) is zero while w·x + b < 0, so it switches on where w·x + b = 0, at x = −b/w; after that it"
     " rises w per unit of x. Work out both for each option and compare with the figure."),
    'my_choice = "b"  # ReLU(2x − 2): switches on at x = 1 and reaches 2·5 − 2 = 8 at x = 5',
)
q4 = Exercise(
    "A neuron for Fahrenheit to Celsius",
    _check_celsius_neuron,
    ("Start from F = 1.8·C + 32 and solve for C: it is again w·F + b.",
     "Subtract 32 from both sides, then divide by 1.8: C = (F − 32) / 1.8. Multiply out the bracket to read off"
     " w (what multiplies F) and b (what is left)."),
    "# C = (F − 32) / 1.8 = (1/1.8)·F − 32/1.8, so\ncelsius_neuron = (1 / 1.8, -32 / 1.8)",
)
q5 = Exercise(
    "Predict, then run: a bias on the day left out",
    _check_bias_left_out,
    ("On the days fitted, b = 0 is still allowed, so the bias cannot hurt there. Is there such a guarantee on a"
     " day the fit never saw?",
     "The sales were made as 0.12·visitors + 0.45·temperature + noise, with no bias (section 6). So what can the"
     " best bias on 49 days follow, apart from their noise, and does that noise come back on the day left out?"),
    'my_choice_5 = "b"  # the true rule has no bias: the extra setting follows noise that does not come back',
)
q6 = Exercise(
    "Two neurons make a layer",
    _check_cafe_layer,
    ("X has one row per day and two columns (visitors, temperature); X @ W_cafe must have one column per"
     " prediction (bottles, ice creams).",
     "Row i of W_cafe belongs to input i, column j to output j: put the bottles neuron's two weights in column 0"
     " and the ice-cream neuron's in column 1. B_cafe holds each neuron's bias, in the same order."),
    "W_cafe = np.array([[0.12, 0.05],    # visitors -> bottles, ice creams\n"
    "                   [0.44, 0.8]])    # temperature -> bottles, ice creams\n"
    "B_cafe = np.array([0.0, -3.0])      # bottles have no bias, ice creams -3",
)
q7 = Exercise(
    "Predict, then run: where the line through the origin goes wrong",
    _check_origin,
    ("Picture the line through the origin on the scatter of section 5: it starts at 0 bottles at 0 visitors, while"
     " the points' trend meets the left edge near 9 bottles (the bias of your slider fit). Compare the two at"
     " the quiet end of the scatter.",
     "A line through the origin passes through a point (visitors, bottles) when its weight is bottles / visitors."
     " On the trend, bottles ≈ 0.12·visitors + 9.3, so that weight is 0.12 + 9.3 / visitors: work it out at 60"
     " visitors and at 150. Which days ask for a steeper line than 0.20, and where does 0.20 leave them?"),
    'my_choice_7 = "b"  # above 0.20, too few: pinned at 0, one weight is too shallow for the quiet days',
)
