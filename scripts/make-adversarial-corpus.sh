#!/usr/bin/env bash
# Writes the adversarial media corpus of the fault suite into DIR (default target/adversarial-corpus), to try by hand:
#   java -jar api/target/videopipe.jar process DIR/<file>
# Each file should end with a typed error naming the cause, or a correct result; never a hang or a crash.
# The fault profile's AdversarialMediaTest generates the same cases on the fly and asserts the outcomes.
# Needs an ffmpeg (the one inside the bytedeco jar in ~/.m2 is used when none is on the PATH), zip and tar.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/adversarial-corpus}
mkdir -p "$out"

if command -v ffmpeg >/dev/null 2>&1; then
  FFMPEG=ffmpeg
else
  jar=$(ls ~/.m2/repository/org/bytedeco/ffmpeg/7.1.1-1.5.12/ffmpeg-7.1.1-1.5.12-linux-x86_64-gpl.jar)
  tmpbin=$(mktemp -d)
  trap 'rm -rf "$tmpbin"' EXIT
  unzip -q -j "$jar" 'org/bytedeco/ffmpeg/linux-x86_64-gpl/*' -d "$tmpbin"
  chmod +x "$tmpbin/ffmpeg"
  for lib in "$tmpbin"/libva*.so; do ln -sf "$(basename "$lib")" "$lib.2"; done
  export LD_LIBRARY_PATH="$tmpbin:${LD_LIBRARY_PATH:-}"
  FFMPEG="$tmpbin/ffmpeg"
fi
ff() { "$FFMPEG" -hide_banner -loglevel error -nostdin -y "$@"; }

# A valid 4 s MP4 (index at the end, as cameras write it), then cut at 10, 50 and 90 %.
ff -f lavfi -i testsrc=s=320x240:r=25:d=4 -f lavfi -i sine=frequency=440:sample_rate=48000:duration=4 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "$out/valid.mp4"
size=$(stat -c %s "$out/valid.mp4")
for p in 10 50 90; do head -c $((size * p / 100)) "$out/valid.mp4" > "$out/truncated-$p.mp4"; done
: > "$out/zero-length.mp4"
for ext in mp4 mkv webm; do head -c 200000 /dev/urandom > "$out/garbage.$ext"; done
# A real 8192x8192 frame (over H.264's level limits) with one second of tone.
ff -f lavfi -i color=c=gray:s=8192x8192:r=1:d=1 -f lavfi -i sine=frequency=440:sample_rate=48000:duration=1 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out/huge-8192x8192.mp4"
ff -f lavfi -i testsrc=s=160x120:r=25:d=1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -an "$out/no-audio.mp4"
ff -f lavfi -i anullsrc=r=16000:cl=mono -t 3600 -c:a flac "$out/silence-1h.mkv"
ff -f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 -c:a libopus -f matroska "$out/actually-matroska.mp4"
(cd "$out" && rm -f zipped.zip && zip -q zipped.zip valid.mp4 && cp zipped.zip zipped.mp4 && tar cf tarred.mp4 valid.mp4)
ff -f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 -attach "$out/valid.mp4" \
  -metadata:s:t mimetype=video/mp4 -c:a libopus "$out/with-mp4-attachment.mkv"
ls -l "$out"
