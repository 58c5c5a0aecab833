#!/usr/bin/env bash
# Regenerates the committed speech fixture of the Vosk tests:
#   activities-cpu/src/test/resources/speech/three-sentences.wav  (16 kHz mono s16le, about 12 s)
#   activities-cpu/src/test/resources/speech/three-sentences.txt  (the reference text)
#
# Needs Debian espeak-ng (apt-get install -y espeak-ng; made with 1.51+dfsg-10+deb12u2) and the FFmpeg executable of the
# bytedeco jar the build already downloads (org.bytedeco:ffmpeg:7.1.1-1.5.12:linux-x86_64-gpl), or FFMPEG=/path/to/ffmpeg.
# CI does not run this: tests read the committed files. The exact pipeline is
#   espeak-ng -v en-us -s 165 -w speech.wav -f three-sentences.txt
#   ffmpeg -i speech.wav -af "aresample=16000,adelay=700:all=1,apad=pad_dur=0.5" -ac 1 -ar 16000 -c:a pcm_s16le \
#          -map_metadata -1 -fflags +bitexact -flags:a +bitexact three-sentences.wav
# i.e. 0.7 s of leading and 0.5 s of trailing silence around the speech, a canonical 44-byte header and no encoder tag
# (two runs give the same bytes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/activities-cpu/src/test/resources/speech"
NAME="three-sentences"
FFMPEG_VERSION="7.1.1-1.5.12"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${FFMPEG:-}" ]]; then
  JAR="${HOME}/.m2/repository/org/bytedeco/ffmpeg/${FFMPEG_VERSION}/ffmpeg-${FFMPEG_VERSION}-linux-x86_64-gpl.jar"
  if [[ ! -f "$JAR" ]]; then
    echo "missing $JAR: run 'mvn -pl activities-cpu dependency:resolve' first, or set FFMPEG" >&2
    exit 1
  fi
  mkdir -p "$WORK/ffmpeg"
  unzip -q -j "$JAR" 'org/bytedeco/ffmpeg/linux-x86_64-gpl/*' -d "$WORK/ffmpeg"
  # The bytedeco loader creates these sonames at run time; the bare executable needs them as files.
  # (It also links libpulse.so.0, which espeak-ng's dependencies install.)
  ln -sf libva.so "$WORK/ffmpeg/libva.so.2"
  ln -sf libva-drm.so "$WORK/ffmpeg/libva-drm.so.2"
  chmod +x "$WORK/ffmpeg/ffmpeg"
  export LD_LIBRARY_PATH="$WORK/ffmpeg${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  FFMPEG="$WORK/ffmpeg/ffmpeg"
fi

# One line: the sentences the tests compare the recognised words with.
cat > "$WORK/$NAME.txt" <<'TEXT'
Today we talk about how to build a small garden at home. Please send the report to the team before the meeting on Friday morning. After lunch we will walk to the park and read a good book.
TEXT

espeak-ng -v en-us -s 165 -w "$WORK/speech.wav" -f "$WORK/$NAME.txt"
"$FFMPEG" -hide_banner -loglevel error -nostdin -y -i "$WORK/speech.wav" \
  -af "aresample=16000,adelay=700:all=1,apad=pad_dur=0.5" \
  -ac 1 -ar 16000 -c:a pcm_s16le -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
  "$WORK/$NAME.wav"

mkdir -p "$OUT_DIR"
cp "$WORK/$NAME.wav" "$WORK/$NAME.txt" "$OUT_DIR/"
ls -l "$OUT_DIR/$NAME.wav" "$OUT_DIR/$NAME.txt"
sha256sum "$OUT_DIR/$NAME.wav"
