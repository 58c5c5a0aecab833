#!/usr/bin/python3
"""Golden values for the Java Parakeet frontend (io.videopipe.parakeet.MelFrontend).

An independent numpy implementation of NeMo's AudioToMelSpectrogramPreprocessor as Parakeet-TDT configures it
(reference.md, section 3): preemphasis 0.97, torch.stft-style centred frames (zero padding of n_fft/2), Hann window of
400 samples (symmetric, as torch.hann_window(periodic=False)) centred in 512, power spectrum, librosa's slaney mel
filterbank (128 bins, 0..8000 Hz), log(x + 2^-24), per-feature normalisation over valid frames (= samples // 160) with
the (n - 1) variance and std + 1e-5.

Writes, next to each other:
  frontend-input.s16le   the test signal, 16 kHz mono little-endian int16 (8077 samples: not a multiple of the hop)
  frontend-golden.f32le  float32 little-endian features, row-major [128, valid_frames]

Usage: /usr/bin/python3 scripts/make-frontend-golden.py activities-gpu/src/test/resources/parakeet
Needs Debian's python3-numpy. Re-running it gives the same bytes.
"""
import os
import sys

import numpy as np

SR, N_FFT, WIN, HOP, N_MELS = 16000, 512, 400, 160, 128


def signal(n):
    t = np.arange(n) / SR
    rng = np.random.default_rng(20261123)
    x = (0.30 * np.sin(2 * np.pi * 220 * t)
         + 0.20 * np.sin(2 * np.pi * (300 * t + 2000 * t * t))  # chirp 300 Hz -> ~2.3 kHz
         + 0.05 * rng.standard_normal(n))
    x[: n // 5] *= 0.1  # a quiet start, so normalisation sees contrast
    return np.round(np.clip(x, -1, 1) * 32767).astype('<i2')


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, f / f_sp)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank():
    fftfreqs = np.fft.rfftfreq(N_FFT, 1.0 / SR)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return weights * (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]


def features(x):
    x = x.astype(np.float64) / 32768.0
    valid = len(x) // HOP
    y = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    padded = np.pad(y, (N_FFT // 2, N_FFT // 2), mode='constant')
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WIN) / (WIN - 1))
    window = np.zeros(N_FFT)
    window[(N_FFT - WIN) // 2:(N_FFT - WIN) // 2 + WIN] = hann
    spec = np.abs(np.fft.rfft(padded[idx] * window, n=N_FFT, axis=1)) ** 2  # [frames, 257]
    mel = np.log(spec @ mel_filterbank().T + 2.0 ** -24).T  # [128, frames]
    mel = mel[:, :valid]
    mean = mel.mean(axis=1, keepdims=True)
    std = np.sqrt(((mel - mean) ** 2).sum(axis=1, keepdims=True) / (valid - 1))
    return (mel - mean) / (std + 1e-5)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else '.'
    x = signal(8077)
    feats = features(x).astype('<f4')
    x.tofile(os.path.join(out, 'frontend-input.s16le'))
    feats.tofile(os.path.join(out, 'frontend-golden.f32le'))
    print(f'{len(x)} samples -> features {feats.shape}, range {feats.min():.3f}..{feats.max():.3f}')


if __name__ == '__main__':
    main()
