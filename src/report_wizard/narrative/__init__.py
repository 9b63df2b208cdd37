"""The narrative sections: the paragraph library (phrases) and how blocks become numbered paragraphs.
May import core only."""
