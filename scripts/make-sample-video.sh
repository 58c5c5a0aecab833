#!/usr/bin/env bash
# Makes samples/talk.mp4: about 80 s of spoken English (espeak-ng) over a generated test picture,
# H.264 + AAC in MP4, under 2 MB. Needs Debian's espeak-ng and an ffmpeg (the one inside the bytedeco
# jar in ~/.m2 is used when none is on the PATH). Re-running it gives the same speech and picture.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v ffmpeg >/dev/null 2>&1; then
  FFMPEG=ffmpeg
else
  jar=$(ls ~/.m2/repository/org/bytedeco/ffmpeg/7.1.1-1.5.12/ffmpeg-7.1.1-1.5.12-linux-x86_64-gpl.jar)
  tmpbin=$(mktemp -d)
  unzip -q -j "$jar" 'org/bytedeco/ffmpeg/linux-x86_64-gpl/*' -d "$tmpbin"
  chmod +x "$tmpbin/ffmpeg"
  # JavaCPP makes these links when it loads the libraries; a bare CLI needs them made by hand.
  for lib in "$tmpbin"/libva*.so; do ln -sf "$(basename "$lib")" "$lib.2"; done
  export LD_LIBRARY_PATH="$tmpbin:${LD_LIBRARY_PATH:-}"
  FFMPEG="$tmpbin/ffmpeg"
fi
command -v espeak-ng >/dev/null || { echo "needs espeak-ng (apt-get install espeak-ng)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One paragraph per line; each is spoken separately and joined with a pause, so highlights have clean boundaries.
cat > "$work/talk.txt" <<'TXT'
Welcome to this short talk about building a video pipeline that never loses a job. Every video becomes one durable workflow, and every step is recorded, so when a machine dies the work simply continues on another machine.
The first step downloads the source video into storage. The second step extracts the audio track and converts it to sixteen kilohertz mono, which is what speech recognition engines expect.
Why does this matter for media teams? Because they process thousands of videos at a time, and they need to know where every single one of them is, how much it cost, and what went wrong when something fails.
Transcription runs on the cheapest engine that meets the need. A graphics card can transcribe an hour of speech in a few seconds, while the offline engine runs on any laptop without an account.
After transcription, the pipeline picks the best highlights, checks their quality, and adds up the cost of every step. The result is a transcript, a set of clips, and a bill you can trust.
TXT

i=0
list="$work/list.txt"
: > "$list"
"$FFMPEG" -loglevel error -f lavfi -i anullsrc=r=22050:cl=mono -t 0.9 -c:a pcm_s16le "$work/pause.wav"
while IFS= read -r line; do
  [ -n "$line" ] || continue
  i=$((i + 1))
  espeak-ng -v en-us -s 150 -w "$work/p$i.wav" "$line"
  echo "file 'p$i.wav'" >> "$list"
  echo "file 'pause.wav'" >> "$list"
done < "$work/talk.txt"
"$FFMPEG" -loglevel error -f concat -safe 0 -i "$list" -c:a pcm_s16le "$work/speech.wav"

duration=$({ "$FFMPEG" -i "$work/speech.wav" 2>&1 || true; } | sed -n 's/.*Duration: \([0-9:.]*\).*/\1/p')
echo "speech duration: $duration" >&2

"$FFMPEG" -loglevel error -y \
  -f lavfi -i "testsrc2=size=426x240:rate=15" -i "$work/speech.wav" \
  -shortest -map 0:v -map 1:a \
  -c:v libx264 -profile:v high -preset slow -crf 38 -pix_fmt yuv420p -g 150 \
  -c:a aac -b:a 48k -ar 48000 -ac 2 \
  -movflags +faststart samples/talk.mp4
cp "$work/talk.txt" samples/talk.txt
ls -l samples/talk.mp4 >&2
