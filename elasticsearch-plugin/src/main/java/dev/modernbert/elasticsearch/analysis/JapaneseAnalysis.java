package dev.modernbert.elasticsearch.analysis;

import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

/**
 * Japanese analysis from Lucene's kuromoji (10.5.0, the nearest on Maven Central to the node's Lucene 10.5.1; the
 * integ-test distribution has no kuromoji plugin), under the OpenSearch edition's names, which carry the plugin's
 * prefix so that they never clash with an analysis-kuromoji plugin installed beside it.
 */
public final class JapaneseAnalysis {
  /**
   * Kuromoji in search mode (compounds also as their parts: 関西国際空港 → 関西 / 国際 / 空港), base forms,
   * part-of-speech and stop-word filtering, katakana stemming and lower-casing.
   */
  public static final String ANALYZER = "modernbert_ja";
  /** The kuromoji tokenizer alone (search mode, punctuation dropped), for custom analyzers. */
  public static final String TOKENIZER = "modernbert_ja_tokenizer";

  private JapaneseAnalysis() {}

  /** {@value #ANALYZER}, for {@code AnalysisPlugin#getAnalyzers}. */
  public static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
    return Map.of(ANALYZER, (indexSettings, env, name, settings) -> new AbstractIndexAnalyzerProvider<>(name) {
      private final JapaneseAnalyzer analyzer = new JapaneseAnalyzer();

      @Override
      public JapaneseAnalyzer get() {
        return analyzer;
      }
    });
  }

  /** {@value #TOKENIZER}, for {@code AnalysisPlugin#getTokenizers}. */
  public static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
    return Map.of(TOKENIZER, (indexSettings, env, name, settings) -> new AbstractTokenizerFactory(name) {
      @Override
      public Tokenizer create() {
        return new JapaneseTokenizer(null, true, JapaneseTokenizer.Mode.SEARCH);
      }
    });
  }
}
