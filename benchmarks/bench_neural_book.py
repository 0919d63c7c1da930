"""The textbook's raw Keras code for the ridership RNNs (Hands-On ML, 3rd ed., ch. 15).

Written as the book (and its notebook) writes it: pandas cleaning of the CSV,
``/ 1e6`` scaling by hand, ``timeseries_dataset_from_array`` for the
sequence-to-vector RNN, the nested ``tf.data`` ``window``/``flat_map`` of
``to_seq2seq_dataset`` for the sequence-to-sequence models, and its
``fit_and_evaluate`` (Huber loss, ``SGD(momentum=0.9)``, early stopping on
``val_mae`` with patience 50, 500 epochs).

Changes to the book's code, each needed to run or to compare it:

- ``seed`` arguments replace the book's fixed 42, and models are seeded with
  ``keras.utils.set_random_seed``: under Keras 3 the book's
  ``tf.random.set_seed(42)`` alone no longer seeds the weight initialisers
  (they draw from Python's ``random``);
- ``keras.Input`` replaces the deprecated ``input_shape=`` layer argument
  (the same network);
- ``get_dummies(..., dtype=float)``, as the book's notebook does for pandas 2+;
- ``fit_fixed`` is ``fit_and_evaluate`` without the validation set and the
  early stopping, for the fixed-epoch runs: with a validation set Keras 3's
  ``EarlyStopping(restore_best_weights=True)`` restores the best epoch even
  when it never stops, so a fixed-epoch run would pick its epoch on the very
  windows it is scored on.
"""

import numpy as np
import pandas as pd
import tensorflow as tf

SEQ_LENGTH = 56
AHEAD = 14
# Learning rates of the book's calls to fit_and_evaluate.
LEARNING_RATES = {"simple_rnn": 0.05, "gru": 0.1, "wavenet": 0.1}


def load_book_dataframe(path):
    """The book's cleaning of the CTA CSV."""
    df = pd.read_csv(path, parse_dates=["service_date"])
    df.columns = ["date", "day_type", "bus", "rail", "total"]  # shorter names
    df = df.sort_values("date").set_index("date")
    df = df.drop("total", axis=1)  # no need for total, it's just bus + rail
    df = df.drop_duplicates()  # remove duplicated months (2011-10 and 2014-07)
    return df


def rail_splits(df):
    rail_train = df["rail"]["2016-01":"2018-12"] / 1e6
    rail_valid = df["rail"]["2019-01":"2019-05"] / 1e6
    return rail_train, rail_valid


def mulvar_splits(df):
    df_mulvar = df[["bus", "rail"]] / 1e6  # use both bus & rail series as input
    df_mulvar["next_day_type"] = df["day_type"].shift(-1)  # we know tomorrow's type
    df_mulvar = pd.get_dummies(df_mulvar, dtype=float)  # one-hot encode the day type
    mulvar_train = df_mulvar["2016-01":"2018-12"]
    mulvar_valid = df_mulvar["2019-01":"2019-05"]
    return mulvar_train, mulvar_valid


def rail_datasets(rail_train, rail_valid, seed=42):
    train_ds = tf.keras.utils.timeseries_dataset_from_array(
        rail_train.to_numpy(),
        targets=rail_train[SEQ_LENGTH:],
        sequence_length=SEQ_LENGTH,
        batch_size=32,
        shuffle=True,
        seed=seed,
    )
    valid_ds = tf.keras.utils.timeseries_dataset_from_array(
        rail_valid.to_numpy(),
        targets=rail_valid[SEQ_LENGTH:],
        sequence_length=SEQ_LENGTH,
        batch_size=32,
    )
    return train_ds, valid_ds


def to_windows(dataset, length):
    dataset = dataset.window(length, shift=1, drop_remainder=True)
    return dataset.flat_map(lambda window_ds: window_ds.batch(length))


def to_seq2seq_dataset(series, seq_length=56, ahead=14, target_col=1, batch_size=32, shuffle=False, seed=None):
    ds = to_windows(tf.data.Dataset.from_tensor_slices(series), ahead + 1)
    ds = to_windows(ds, seq_length).map(lambda S: (S[:, 0], S[:, 1:, target_col]))
    if shuffle:
        ds = ds.shuffle(8 * batch_size, seed=seed)
    return ds.batch(batch_size)


def seq2seq_datasets(mulvar_train, mulvar_valid, seq_length=SEQ_LENGTH, seed=42):
    train = to_seq2seq_dataset(mulvar_train, seq_length=seq_length, shuffle=True, seed=seed)
    valid = to_seq2seq_dataset(mulvar_valid, seq_length=seq_length)
    return train, valid


def simple_rnn_model(seed):
    tf.keras.utils.set_random_seed(seed)
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=[None, 1]),
            tf.keras.layers.SimpleRNN(32),
            tf.keras.layers.Dense(1),  # no activation function by default
        ]
    )


def gru_model(seed):
    tf.keras.utils.set_random_seed(seed)
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=[None, 5]),
            tf.keras.layers.GRU(32, return_sequences=True),
            tf.keras.layers.Dense(14),
        ]
    )


def wavenet_model(seed):
    tf.keras.utils.set_random_seed(seed)
    wavenet_model = tf.keras.Sequential()
    wavenet_model.add(tf.keras.Input(shape=[None, 5]))
    for rate in (1, 2, 4, 8) * 2:
        wavenet_model.add(
            tf.keras.layers.Conv1D(filters=32, kernel_size=2, padding="causal", activation="relu", dilation_rate=rate)
        )
    wavenet_model.add(tf.keras.layers.Conv1D(filters=14, kernel_size=1))
    return wavenet_model


def fit_and_evaluate(model, train_set, valid_set, learning_rate, epochs=500):
    early_stopping_cb = tf.keras.callbacks.EarlyStopping(monitor="val_mae", patience=50, restore_best_weights=True)
    opt = tf.keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)
    model.compile(loss=tf.keras.losses.Huber(), optimizer=opt, metrics=["mae"])
    history = model.fit(train_set, validation_data=valid_set, epochs=epochs, callbacks=[early_stopping_cb], verbose=0)
    valid_loss, valid_mae = model.evaluate(valid_set, verbose=0)
    return valid_mae * 1e6, history


def fit_fixed(model, train_set, learning_rate, epochs):
    opt = tf.keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)
    model.compile(loss=tf.keras.losses.Huber(), optimizer=opt, metrics=["mae"])
    return model.fit(train_set, epochs=epochs, verbose=0)


def last_step_forecasts(model, valid_set):
    """The book's ``Y_pred_valid[:, -1]``: each window's forecasts from its last step, in riders."""
    Y_pred_valid = model.predict(valid_set, verbose=0)
    if Y_pred_valid.ndim == 3:
        Y_pred_valid = Y_pred_valid[:, -1]
    return Y_pred_valid * 1e6


def valid_targets(valid_set):
    """Targets of the last step of each validation window, in riders, shape (n_windows, ahead)."""
    targets = np.concatenate([y.numpy() for _, y in valid_set])
    if targets.ndim == 3:
        targets = targets[:, -1]
    return targets.reshape(len(targets), -1) * 1e6
