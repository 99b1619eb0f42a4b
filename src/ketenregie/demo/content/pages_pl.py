"""Information pages of the demo portal in Polish (translated from the Dutch originals)."""

from __future__ import annotations

PL: dict[str, tuple[str, str, str]] = {
    "registration": (
        "Rejestracja w BRP lub RNI",
        "Zarejestruj się w gminie. Wtedy dostaniesz numer BSN.",
        """Zostajesz w Holandii **dłużej niż 4 miesiące**? Zarejestruj się w gminie, w której mieszkasz.
To jest rejestracja w **BRP** (rejestr ludności). Zrób to w ciągu 5 dni po przyjeździe. Umów się na wizytę
w gminie.

Zostajesz **krócej niż 4 miesiące**? Wtedy rejestrujesz się jako nierezydent w **RNI**. Możesz to zrobić
w punkcie RNI, także w Rotterdamie.

## Co dostajesz?

Po rejestracji dostajesz **numer BSN** (burgerservicenummer). Jest potrzebny do pracy, ubezpieczenia
zdrowotnego, konta w banku i dodatków.

## Co zabrać?

- paszport lub dowód osobisty
- umowę najmu albo list od głównego lokatora, że możesz tam mieszkać

## Przeprowadzasz się?

Podaj nowy adres **w ciągu 5 dni**. Możesz to zrobić [na tym portalu](../../address/). Wyjeżdżasz z Holandii?
Zgłoś wyjazd w gminie.

Kto się nie zarejestruje albo zrobi to źle, może dostać karę.""",
    ),
    "digid": (
        "DigiD: Twoja tożsamość cyfrowa",
        "Dzięki DigiD załatwisz sprawy urzędowe przez internet, na przykład podatki i dodatek na ubezpieczenie.",
        """Przez **DigiD** logujesz się na strony urzędów. Na przykład do urzędu skarbowego, UWV, SVB i do
swojego ubezpieczyciela. Do wniosku o DigiD potrzebujesz numeru **BSN**.

## Jak złożyć wniosek

1. Wejdź na [digid.nl](https://www.digid.nl) i złóż wniosek o DigiD.
2. Dostaniesz list z kodem aktywacyjnym na adres, pod którym jesteś zarejestrowany.
3. Aktywuj DigiD w ciągu 20 dni kodem z listu.
4. Zainstaluj **aplikację DigiD**. To najprostsze i najbezpieczniejsze.

## Uwaga

**Nigdy** nie dawaj nikomu swojego DigiD. Także pracodawcy, agencji pracy ani właścicielowi mieszkania.
Z Twoim DigiD ktoś może wystąpić o pieniądze na Twoje nazwisko.

Punkt informacyjny chętnie pomoże Ci złożyć wniosek i aktywować DigiD.""",
    ),
    "housing": (
        "Mieszkanie: Twoje prawa i umowa najmu",
        "Co musi zrobić wynajmujący, jaka może być kaucja i co robić, gdy są problemy.",
        """Od 1 lipca 2023 roku obowiązuje **ustawa o dobrym wynajmowaniu** (Wet goed verhuurderschap).
Ma zasady dla wszystkich wynajmujących.

## Twoja umowa najmu

- Dostajesz **pisemną** umowę najmu, z czynszem, kosztami usług i regulaminem domu.
- Pracujesz tu jako pracownik z zagranicy? Wtedy umowa najmu jest **oddzielna od umowy o pracę**.
  Gdy kończy się praca, umowa najmu nie kończy się sama.
- Wynajmujący daje Ci informacje o Twoich prawach i obowiązkach, w języku, który rozumiesz.

## Kaucja

Kaucja to **najwyżej dwa miesięczne czynsze podstawowe**. Po końcu najmu dostajesz kaucję z powrotem
w ciągu 14 dni. Jest szkoda? Wtedy w ciągu 30 dni, minus koszt szkody.

## Czynsz z wypłaty

Pracodawca odlicza czynsz od Twojej wypłaty? Może to robić tylko wtedy, gdy zgodzisz się **na piśmie**,
i najwyżej 25% płacy minimalnej. Mieszkanie musi wtedy spełniać wymagania jakości.

## Nie za dużo osób

W Rotterdamie w mieszkaniu musi być **co najmniej 12 m² na osobę**. Za dużo osób w jednym domu jest
niebezpieczne.

Problemy z wynajmującym albo mieszkaniem? [Zgłoś to gminie](../../report/). Nie musisz podawać nazwiska.""",
    ),
    "work": (
        "Praca i wynagrodzenie",
        "Masz prawo do płacy minimalnej, paska wypłaty i dodatku urlopowego.",
        """Każdy, kto pracuje w Holandii, ma te same prawa. Nie ma znaczenia, skąd pochodzisz.

## Twoje wynagrodzenie

- Dostajesz co najmniej **minimalną stawkę za godzinę**. Kwota zmienia się co roku. Zobacz
  [rijksoverheid.nl/minimumloon](https://www.rijksoverheid.nl/onderwerpen/minimumloon).
- Przy każdej wypłacie dostajesz **pasek wypłaty** (loonstrook). Jest na nim, ile zarabiasz i co jest odliczane.
- Dostajesz **dodatek urlopowy**: co najmniej 8% wynagrodzenia.
- Wypłata trafia na Twoje własne konto w banku.

## Praca przez agencję

Sprawdź na [normeringarbeid.nl](https://www.normeringarbeid.nl), czy agencja ma certyfikat. Przechowuj
umowę, paski wypłaty i listę przepracowanych godzin.

## Problemy w pracy?

- Za niska płaca, za długa praca albo niebezpieczna praca? Zgłoś to do
  [holenderskiej inspekcji pracy](https://www.nlarbeidsinspectie.nl). Możesz to zrobić bez podawania nazwiska.
- Jesteś wykorzystywany? [FairWork](https://www.fairwork.nu) pomoże Ci, bezpłatnie i poufnie.
- Straciłeś pracę? Możesz dostać zasiłek z UWV.""",
    ),
    "health-insurance": (
        "Ubezpieczenie zdrowotne",
        "Mieszkasz albo pracujesz w Holandii? Zwykle musisz mieć holenderskie ubezpieczenie zdrowotne.",
        """Mieszkasz albo pracujesz w Holandii? Zwykle musisz mieć holenderskie **ubezpieczenie podstawowe**
(basisverzekering). Wykup je **w ciągu 4 miesięcy**. Zapłacisz wtedy także za wcześniejsze miesiące.

## Jak to załatwić?

- Sam wybierasz ubezpieczyciela. Pracodawca może zaproponować ubezpieczenie, ale nie musisz go brać.
- Co miesiąc płacisz składkę.
- Co roku pierwszą część wielu kosztów płacisz sam. To jest **udział własny** (eigen risico).
- Masz niskie dochody? Może dostaniesz **dodatek na ubezpieczenie** (zorgtoeslag). Złóż wniosek w
  [Dienst Toeslagen](https://www.belastingdienst.nl/toeslagen). Potrzebujesz do tego DigiD.

## Do lekarza

- Zapisz się do **lekarza rodzinnego** (huisarts) w pobliżu.
- Wieczorem i w weekend dzwoń do **dyżuru lekarskiego** (huisartsenpost).
- Gdy Twoje życie jest w niebezpieczeństwie, dzwoń pod **112**.""",
    ),
    "help": (
        "Gdzie dostaniesz pomoc?",
        "Organizacje, które pomagają przy problemach z pracą, mieszkaniem, pieniędzmi lub bezpieczeństwem.",
        """## W punkcie informacyjnym

Pomagamy w Twoim języku, w sprawach mieszkania, pracy, zdrowia, pieniędzy, DigiD i rejestracji.
Zobacz [adres i godziny otwarcia](../information-point/).

## Inna pomoc

- **Juridisch Loket**: bezpłatne porady o Twoich prawach. [juridischloket.nl](https://www.juridischloket.nl)
- **FairWork**: pomoc przy wyzysku, poufnie. [fairwork.nu](https://www.fairwork.nu)
- **Holenderska inspekcja pracy**: zgłoś nieuczciwą lub niebezpieczną pracę.
  [nlarbeidsinspectie.nl](https://www.nlarbeidsinspectie.nl)
- **Barka**: pomoc dla obywateli UE bez mieszkania, także gdy chcesz wrócić do swojego kraju.
- **Slachtofferhulp Nederland**: wsparcie po przestępstwie lub wypadku. [slachtofferhulp.nl](https://www.slachtofferhulp.nl)

## Policja

- W nagłym wypadku: dzwoń pod **112**.
- Bez nagłego wypadku: dzwoń pod **0900 8844**.""",
    ),
    "information-point": (
        "Punkt informacyjny: adres i godziny otwarcia",
        "Przyjdź, zadzwoń albo wyślij wiadomość na WhatsApp. Mówimy w Twoim języku.",
        """W punkcie informacyjnym dostaniesz bezpłatne informacje i pomoc, w swoim języku. Nie musisz się umawiać.

## Punkt informacyjny Południe

Voorbeeldstraat 1, Rotterdam (adres przykładowy)

- od poniedziałku do czwartku: 9.00–17.00
- czwartek wieczorem: 17.00–20.00

## Punkt informacyjny Zachód

Proefweg 20, Rotterdam (adres przykładowy)

- wtorek i piątek: 10.00–16.00

## Telefon i WhatsApp

- telefon i WhatsApp: 010 000 0000 (numer przykładowy)
- od poniedziałku do piątku: 9.00–17.00

Mówimy między innymi po polsku, rumuńsku, bułgarsku, angielsku i niderlandzku.""",
    ),
}
