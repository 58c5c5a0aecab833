package io.videopipe.highlight;

import io.videopipe.loudness.Loudness;
import io.videopipe.transcribe.Word;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks highlights from a word-timed transcript. Pure and deterministic: no I/O, the same input gives the same output.
 *
 * <p><b>Sentences.</b> Vosk transcripts carry no punctuation, so a sentence is a run of words that ends at a pause of
 * at least {@link Settings#pauseSec()} (0.5 s by default) or after a word ending in '.', '?' or '!' (engines that
 * punctuate). A run longer than {@link Settings#maxSentenceSec()} (12 s, and never more than the highlight maximum) is
 * split at its largest gap between words, recursively, ties going to the gap nearest the middle.
 *
 * <p><b>Candidates.</b> Every run of consecutive sentences whose clip lasts within {@code [minSec, maxSec]}. The clip
 * starts {@link Settings#padSec()} (0.25 s) before its first word and ends that much after its last word, but never
 * past the middle of the pause to the neighbouring word (nor before 0 or after the audio's end), so cuts fall in
 * pauses and clips of adjacent sentences never overlap. When the speech is too short for any candidate, there are no
 * highlights: nothing is padded or invented.
 *
 * <p><b>Score</b> (each feature is 0.5 at the transcript's own average and clamped to 0..1):
 *
 * <pre>
 * keywords     = 0.5 * density(window) / density(transcript), density = sum of idf(t) over the window's content words
 *                / word count, idf(t) = ln((1 + N) / (1 + df(t))) + 1 over the N sentences as documents (a word
 *                repeated in the window counts each time: term frequency x idf); stopwords and 1-letter tokens are not
 *                content words
 * loudness     = 0.5 + (mean momentary loudness of the clip - median momentary loudness of the speech span) / 12 LU,
 *                the mean being the energy mean of the 400 ms values inside the clip (so +6 LU reads 1, -6 LU reads 0)
 * speakingRate = 0.5 * (words per second of the window) / (words per second of the whole speech span), words per
 *                second being word count / (last word end - first word start)
 * cues         = min(1, (words ending in '?' or '!') / (sentences in the window))
 * speakers     = min(1, (speaker changes between consecutive words of the window) / (sentences in the window))
 * score        = (0.4 keywords + 0.3 loudness + 0.2 speakingRate + 0.1 cues + 0.1 speakers) / (sum of the weights used)
 * </pre>
 *
 * Without loudness data the loudness term and its weight drop out; so does the speakers term when no word of the
 * transcript carries a speaker (engines without diarization). Each highlight's {@code features} map holds the
 * features, their raw values ({@code keywordDensity}, {@code loudnessRelLu}, {@code wordsPerSec}, {@code cueCount},
 * {@code speakerChanges}, {@code sentences}), the weights ({@code weight.*}) and the {@code score}.
 *
 * <p><b>Selection.</b> Greedy: candidates by score (ties: earlier, then shorter), each taken unless it overlaps one
 * already taken, until {@code maxCount}. Highlights come back sorted by rank, 1 being the best. {@link #shortlist}
 * goes on past {@code maxCount}, for a second ranking (an LLM) to choose from.
 *
 * <p><b>Title.</b> The window's most salient sentence (highest keyword density, at least three words), its leading
 * fillers dropped, cut to {@link #TITLE_WORDS} words (marked with an ellipsis), first letter capitalised.
 */
public final class HighlightSelector {

  /**
   * Tuning of sentence splitting, clip padding and score weights.
   *
   * @param pauseSec a gap between words at least this long ends a sentence
   * @param maxSentenceSec longer runs are split at their largest gaps
   * @param padSec silence kept before the first and after the last word of a clip
   */
  public record Settings(
      double pauseSec,
      double maxSentenceSec,
      double padSec,
      double keywordsWeight,
      double loudnessWeight,
      double speakingRateWeight,
      double cuesWeight,
      double speakersWeight) {

    public Settings {
      if (pauseSec <= 0 || maxSentenceSec <= 0 || padSec < 0) {
        throw new IllegalArgumentException("need pauseSec > 0, maxSentenceSec > 0, padSec >= 0");
      }
      if (keywordsWeight < 0 || loudnessWeight < 0 || speakingRateWeight < 0 || cuesWeight < 0 || speakersWeight < 0
          || keywordsWeight + speakingRateWeight + cuesWeight <= 0) {
        throw new IllegalArgumentException(
            "weights must be >= 0, and keywords, speakingRate and cues (always scored) not all 0");
      }
    }

    public static Settings defaults() {
      return new Settings(0.5, 12.0, 0.25, 0.4, 0.3, 0.2, 0.1, 0.1);
    }
  }

  /** Consecutive words {@code [firstWord, lastWord]} (indices into the sorted word list). */
  public record Sentence(int firstWord, int lastWord, double start, double end) {}

  /**
   * The outcome with what a reader needs to understand it.
   *
   * @param speechSec first word start to last word end
   * @param note why there are no (or fewer) highlights, null when {@code maxCount} were found
   */
  public record Selection(
      List<Highlight> highlights, double speechSec, int sentences, int candidates, String note) {}

  static final Set<String> STOPWORDS =
      Set.of(
          "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
          "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "don't", "down", "for",
          "from", "get", "got", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "i'm",
          "if", "in", "into", "is", "it", "it's", "its", "just", "know", "like", "me", "more", "my", "no", "not", "now",
          "of", "off", "oh", "ok", "okay", "on", "one", "only", "or", "other", "our", "out", "over", "really", "right",
          "said", "say", "so", "some", "than", "that", "that's", "the", "their", "them", "then", "there", "these",
          "they", "thing", "things", "this", "those", "to", "too", "um", "uh", "unk", "up", "us", "very", "was", "we",
          "well", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "yeah", "yes", "you",
          "your");

  private static final double EPS = 1e-9;

  /** Longest title, in words. */
  static final int TITLE_WORDS = 8;

  private static final Set<String> LEADING_FILLERS =
      Set.of("and", "but", "so", "um", "uh", "well", "okay", "ok", "yeah", "oh", "now", "then", "like", "right");

  private final Settings settings;

  public HighlightSelector(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Selects highlights.
   *
   * @param words the transcript's words (sorted by start here if they are not)
   * @param loudness the audio's loudness, or null to score without it
   * @param audioDurationSec the audio's duration (clips end no later), or 0 when unknown
   */
  public Selection select(List<Word> words, Loudness loudness, double audioDurationSec, HighlightOptions options) {
    return shortlist(words, loudness, audioDurationSec, options, options.maxCount());
  }

  /**
   * As {@link #select}, but picks up to {@code max(poolSize, maxCount)} non-overlapping highlights, ranked: a pool for
   * a second ranking to choose {@code maxCount} from. The note speaks of {@code maxCount}.
   */
  public Selection shortlist(
      List<Word> words, Loudness loudness, double audioDurationSec, HighlightOptions options, int poolSize) {
    List<Word> ws = new ArrayList<>(words);
    ws.sort(Comparator.comparingDouble(Word::start).thenComparingDouble(Word::end));
    if (ws.isEmpty()) {
      return new Selection(List.of(), 0, 0, 0, "no words in the transcript");
    }
    double speechSec = ws.get(ws.size() - 1).end() - ws.get(0).start();
    List<Sentence> sentences = sentences(ws, Math.min(settings.maxSentenceSec(), options.maxSec()));
    if (options.maxCount() == 0) {
      return new Selection(List.of(), speechSec, sentences.size(), 0, "maxCount is 0");
    }
    Scorer scorer = new Scorer(ws, sentences, loudness);
    List<Candidate> candidates = new ArrayList<>();
    for (int a = 0; a < sentences.size(); a++) {
      double start = clipStart(ws, sentences.get(a).firstWord());
      for (int b = a; b < sentences.size(); b++) {
        double end = clipEnd(ws, sentences.get(b).lastWord(), audioDurationSec);
        double duration = end - start;
        if (duration > options.maxSec() + EPS) {
          break;
        }
        if (duration >= options.minSec() - EPS) {
          int first = sentences.get(a).firstWord();
          int last = sentences.get(b).lastWord();
          candidates.add(
              new Candidate(first, last, a, b, start, end, scorer.features(first, last, b - a + 1, start, end)));
        }
      }
    }
    candidates.sort(
        Comparator.comparingDouble((Candidate c) -> -c.features().score())
            .thenComparingDouble(Candidate::start)
            .thenComparingDouble(Candidate::end));
    int pool = Math.max(poolSize, options.maxCount());
    List<Candidate> picked = new ArrayList<>();
    for (Candidate c : candidates) {
      if (picked.size() == pool) {
        break;
      }
      if (picked.stream().noneMatch(p -> c.start() < p.end() - EPS && p.start() < c.end() - EPS)) {
        picked.add(c);
      }
    }
    List<Highlight> highlights = new ArrayList<>();
    for (int i = 0; i < picked.size(); i++) {
      Candidate c = picked.get(i);
      highlights.add(
          new Highlight(
              i + 1, c.start(), c.end(), c.features().score(), text(ws, c.first(), c.last()),
              c.features().toMap(settings), title(ws, sentences, c, scorer)));
    }
    String note = null;
    if (candidates.isEmpty()) {
      note =
          speechSec + 2 * settings.padSec() < options.minSec()
              ? String.format(Locale.ROOT, "speech lasts %.1f s, shorter than the %.1f s minimum", speechSec, options.minSec())
              : String.format(
                  Locale.ROOT,
                  "no run of complete sentences lasts %.1f-%.1f s (speech %.1f s in %d sentences)",
                  options.minSec(), options.maxSec(), speechSec, sentences.size());
    } else if (picked.size() < options.maxCount()) {
      note = String.format(
          Locale.ROOT, "only %d non-overlapping clips of %.1f-%.1f s fit the speech",
          picked.size(), options.minSec(), options.maxSec());
    }
    return new Selection(List.copyOf(highlights), speechSec, sentences.size(), candidates.size(), note);
  }

  /** Splits sorted words into sentences: at pauses, after terminal punctuation, and long runs at their largest gaps. */
  List<Sentence> sentences(List<Word> ws, double maxSentenceSec) {
    List<Sentence> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < ws.size(); i++) {
      boolean last = i == ws.size() - 1;
      if (last || ws.get(i + 1).start() - ws.get(i).end() >= settings.pauseSec() - EPS || endsSentence(ws.get(i).text())) {
        splitLong(ws, from, i, maxSentenceSec, out);
        from = i + 1;
      }
    }
    return out;
  }

  private static void splitLong(List<Word> ws, int first, int last, double maxSec, List<Sentence> out) {
    Deque<int[]> todo = new ArrayDeque<>();
    todo.push(new int[] {first, last});
    List<int[]> done = new ArrayList<>();
    while (!todo.isEmpty()) {
      int[] run = todo.pop();
      int a = run[0];
      int b = run[1];
      if (a == b || ws.get(b).end() - ws.get(a).start() <= maxSec + EPS) {
        done.add(run);
        continue;
      }
      double middle = (ws.get(a).start() + ws.get(b).end()) / 2;
      int cut = a;
      double bestGap = Double.NEGATIVE_INFINITY;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int k = a; k < b; k++) {
        double gap = ws.get(k + 1).start() - ws.get(k).end();
        double distance = Math.abs((ws.get(k).end() + ws.get(k + 1).start()) / 2 - middle);
        if (gap > bestGap + EPS || (Math.abs(gap - bestGap) <= EPS && distance < bestDistance)) {
          bestGap = gap;
          bestDistance = distance;
          cut = k;
        }
      }
      // right half first so the left half is popped (and kept) first
      todo.push(new int[] {cut + 1, b});
      todo.push(new int[] {a, cut});
    }
    for (int[] run : done) {
      out.add(new Sentence(run[0], run[1], ws.get(run[0]).start(), ws.get(run[1]).end()));
    }
  }

  private static boolean endsSentence(String text) {
    String t = text.strip();
    int i = t.length() - 1;
    while (i >= 0 && (t.charAt(i) == '"' || t.charAt(i) == '\'' || t.charAt(i) == ')' || t.charAt(i) == '”')) {
      i--;
    }
    return i >= 0 && (t.charAt(i) == '.' || t.charAt(i) == '?' || t.charAt(i) == '!');
  }

  private static boolean isCue(String text) {
    String t = text.strip();
    return t.endsWith("?") || t.endsWith("!");
  }

  private double clipStart(List<Word> ws, int firstWord) {
    Word w = ws.get(firstWord);
    double limit = firstWord == 0 ? 0 : Math.min(w.start(), (ws.get(firstWord - 1).end() + w.start()) / 2);
    return Math.max(Math.max(0, limit), w.start() - settings.padSec());
  }

  private double clipEnd(List<Word> ws, int lastWord, double audioDurationSec) {
    Word w = ws.get(lastWord);
    double limit;
    if (lastWord == ws.size() - 1) {
      limit = audioDurationSec > w.end() ? audioDurationSec : w.end() + settings.padSec();
    } else {
      limit = Math.max(w.end(), (w.end() + ws.get(lastWord + 1).start()) / 2);
    }
    return Math.min(limit, w.end() + settings.padSec());
  }

  private static String text(List<Word> ws, int first, int last) {
    StringBuilder sb = new StringBuilder();
    for (int i = first; i <= last; i++) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(ws.get(i).text().strip());
    }
    return sb.toString();
  }

  /** Lower-case token without surrounding punctuation; "" for pure punctuation. */
  static String token(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int a = 0;
    int b = t.length();
    while (a < b && !Character.isLetterOrDigit(t.charAt(a))) {
      a++;
    }
    while (b > a && !Character.isLetterOrDigit(t.charAt(b - 1))) {
      b--;
    }
    return t.substring(a, b);
  }

  private record Candidate(
      int first, int last, int firstSentence, int lastSentence, double start, double end, Features features) {}

  private static String title(List<Word> ws, List<Sentence> sentences, Candidate c, Scorer scorer) {
    Sentence best = null;
    double bestDensity = -1;
    for (int k = c.firstSentence(); k <= c.lastSentence(); k++) {
      Sentence s = sentences.get(k);
      int count = s.lastWord() - s.firstWord() + 1;
      double density = scorer.idfSum(s.firstWord(), s.lastWord()) / count;
      // a very short sentence ("right") makes a poor title whatever its words
      if (count >= 3 && density > bestDensity + EPS) {
        best = s;
        bestDensity = density;
      }
    }
    int from = best == null ? c.first() : best.firstWord();
    int to = best == null ? c.last() : best.lastWord();
    while (from < to && LEADING_FILLERS.contains(token(ws.get(from).text()))) {
      from++;
    }
    boolean cut = to - from + 1 > TITLE_WORDS;
    String text = text(ws, from, cut ? from + TITLE_WORDS - 1 : to);
    if (text.isEmpty()) {
      return text;
    }
    String title = Character.toUpperCase(text.charAt(0)) + text.substring(1);
    return cut ? title.replaceAll("[,;:.!?]+$", "") + "…" : title;
  }

  /** Precomputed prefix sums, so each candidate is scored in O(1) apart from its loudness mean. */
  private final class Scorer {
    private final List<Word> ws;
    private final Loudness loudness;
    private final double[] idfPrefix;
    private final int[] cuePrefix;
    private final int[] speakerChangePrefix;
    private final boolean speakersKnown;
    private final double globalDensity;
    private final double globalRate;
    private final double medianLufs;

    Scorer(List<Word> ws, List<Sentence> sentences, Loudness loudness) {
      this.ws = ws;
      int n = ws.size();
      String[] tokens = new String[n];
      boolean[] content = new boolean[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = token(ws.get(i).text());
        content[i] = tokens[i].length() >= 2 && !STOPWORDS.contains(tokens[i]);
      }
      Map<String, Integer> df = new HashMap<>();
      for (Sentence s : sentences) {
        Set<String> seen = new HashSet<>();
        for (int i = s.firstWord(); i <= s.lastWord(); i++) {
          if (content[i] && seen.add(tokens[i])) {
            df.merge(tokens[i], 1, Integer::sum);
          }
        }
      }
      int docs = sentences.size();
      idfPrefix = new double[n + 1];
      cuePrefix = new int[n + 1];
      speakerChangePrefix = new int[n + 1];
      boolean anySpeaker = false;
      for (int i = 0; i < n; i++) {
        double idf = content[i] ? Math.log((1.0 + docs) / (1.0 + df.get(tokens[i]))) + 1 : 0;
        idfPrefix[i + 1] = idfPrefix[i] + idf;
        cuePrefix[i + 1] = cuePrefix[i] + (isCue(ws.get(i).text()) ? 1 : 0);
        Integer speaker = ws.get(i).speaker();
        anySpeaker |= speaker != null;
        boolean change = i > 0 && speaker != null && ws.get(i - 1).speaker() != null
            && !speaker.equals(ws.get(i - 1).speaker());
        speakerChangePrefix[i + 1] = speakerChangePrefix[i] + (change ? 1 : 0);
      }
      speakersKnown = anySpeaker && settings.speakersWeight() > 0;
      globalDensity = idfPrefix[n] / n;
      globalRate = n / Math.max(ws.get(n - 1).end() - ws.get(0).start(), EPS);
      boolean useLoudness = loudness != null && loudness.momentaryCount() > 0 && settings.loudnessWeight() > 0;
      this.loudness = useLoudness ? loudness : null;
      medianLufs = useLoudness ? loudness.medianMomentaryLufs(ws.get(0).start(), ws.get(n - 1).end()) : Double.NaN;
    }

    double idfSum(int first, int last) {
      return idfPrefix[last + 1] - idfPrefix[first];
    }

    Features features(int first, int last, int sentenceCount, double start, double end) {
      int count = last - first + 1;
      double density = (idfPrefix[last + 1] - idfPrefix[first]) / count;
      double keywords = globalDensity > 0 ? clamp(0.5 * density / globalDensity) : 0;
      double rate = count / Math.max(ws.get(last).end() - ws.get(first).start(), EPS);
      double speakingRate = clamp(0.5 * rate / globalRate);
      int cueCount = cuePrefix[last + 1] - cuePrefix[first];
      double cues = Math.min(1, (double) cueCount / sentenceCount);
      double relLu = loudness == null ? Double.NaN : loudness.meanMomentaryLufs(start, end) - medianLufs;
      double loud = loudness == null ? Double.NaN : clamp(0.5 + relLu / 12.0);
      // the window's first word has no predecessor inside it, so its change (from the word before) is not counted
      int changes = speakerChangePrefix[last + 1] - speakerChangePrefix[first + 1];
      double speakers = speakersKnown ? Math.min(1, (double) changes / sentenceCount) : Double.NaN;

      double weighted = settings.keywordsWeight() * keywords
          + settings.speakingRateWeight() * speakingRate
          + settings.cuesWeight() * cues;
      double weights = settings.keywordsWeight() + settings.speakingRateWeight() + settings.cuesWeight();
      if (loudness != null) {
        weighted += settings.loudnessWeight() * loud;
        weights += settings.loudnessWeight();
      }
      if (speakersKnown) {
        weighted += settings.speakersWeight() * speakers;
        weights += settings.speakersWeight();
      }
      return new Features(
          keywords, loud, speakingRate, cues, speakers, density, relLu, rate, cueCount,
          speakersKnown ? changes : -1, sentenceCount, weighted / weights);
    }
  }

  /**
   * One candidate's score and its inputs; loudness values are NaN when scored without loudness, speaker values NaN / -1
   * when the transcript has no speakers.
   */
  private record Features(
      double keywords,
      double loudness,
      double speakingRate,
      double cues,
      double speakers,
      double keywordDensity,
      double loudnessRelLu,
      double wordsPerSec,
      int cueCount,
      int speakerChanges,
      int sentences,
      double score) {

    Map<String, Double> toMap(Settings settings) {
      boolean loud = !Double.isNaN(loudness);
      Map<String, Double> f = new LinkedHashMap<>();
      f.put("keywords", keywords);
      if (loud) {
        f.put("loudness", loudness);
      }
      f.put("speakingRate", speakingRate);
      f.put("cues", cues);
      boolean spoken = !Double.isNaN(speakers);
      if (spoken) {
        f.put("speakers", speakers);
      }
      f.put("keywordDensity", keywordDensity);
      if (loud) {
        f.put("loudnessRelLu", loudnessRelLu);
      }
      f.put("wordsPerSec", wordsPerSec);
      f.put("cueCount", (double) cueCount);
      if (spoken) {
        f.put("speakerChanges", (double) speakerChanges);
      }
      f.put("sentences", (double) sentences);
      f.put("weight.keywords", settings.keywordsWeight());
      if (loud) {
        f.put("weight.loudness", settings.loudnessWeight());
      }
      f.put("weight.speakingRate", settings.speakingRateWeight());
      f.put("weight.cues", settings.cuesWeight());
      if (spoken) {
        f.put("weight.speakers", settings.speakersWeight());
      }
      f.put("score", score);
      return Collections.unmodifiableMap(f);
    }
  }

  private static double clamp(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }
}
