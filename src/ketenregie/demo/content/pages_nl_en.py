"""Information pages of the demo portal: Dutch (the original) and English. Plain language (B1).

Facts were checked against rijksoverheid.nl, digid.nl, the Wet goed verhuurderschap and the Wet
minimumloon; amounts that change every year are not quoted, the text links to where they are.
"""

from __future__ import annotations

# slug: (topic, position)
PAGES: dict[str, tuple[str, int]] = {
    "registration": ("registration", 10),
    "digid": ("digid", 20),
    "housing": ("housing", 30),
    "work": ("work", 40),
    "health-insurance": ("health", 50),
    "help": ("help", 60),
    "information-point": ("information_point", 70),
}

# (title, summary, body in Markdown)
NL: dict[str, tuple[str, str, str]] = {
    "registration": (
        "Inschrijven in de BRP of de RNI",
        "Schrijf u in bij de gemeente. Dan krijgt u een burgerservicenummer (BSN).",
        """Blijft u **langer dan 4 maanden** in Nederland? Schrijf u dan in bij de gemeente waar u woont.
Dat heet inschrijven in de **BRP** (Basisregistratie Personen). Doe dit binnen 5 dagen nadat u bent
aangekomen. Maak een afspraak bij de gemeente.

Blijft u **korter dan 4 maanden**? Dan schrijft u zich in als niet-ingezetene in de **RNI**. Dat kan bij
een RNI-loket, ook in Rotterdam.

## Wat krijgt u?

Na de inschrijving krijgt u een **burgerservicenummer (BSN)**. U heeft dit nummer nodig voor werk, een
zorgverzekering, een bankrekening en toeslagen.

## Wat neemt u mee?

- uw paspoort of identiteitskaart
- uw huurcontract, of een brief van de hoofdbewoner dat u daar mag wonen

## Verhuist u?

Geef uw nieuwe adres **binnen 5 dagen** door. Dat kan [op dit portaal](../../address/). Gaat u weg uit
Nederland? Meld dan uw vertrek bij de gemeente.

Wie zich niet of niet goed inschrijft, kan een boete krijgen.""",
    ),
    "digid": (
        "DigiD: uw digitale identiteit",
        "Met DigiD regelt u online zaken met de overheid, zoals belasting en zorgtoeslag.",
        """Met **DigiD** logt u in bij websites van de overheid. Bijvoorbeeld bij de Belastingdienst, UWV,
de SVB en uw zorgverzekeraar. U heeft een **BSN** nodig om DigiD aan te vragen.

## Zo vraagt u DigiD aan

1. Ga naar [digid.nl](https://www.digid.nl) en vraag DigiD aan.
2. U krijgt een brief met een activeringscode. Die komt naar het adres waar u staat ingeschreven.
3. Activeer DigiD binnen 20 dagen met de code uit de brief.
4. Installeer de **DigiD app**. Dat is het makkelijkst en het veiligst.

Woont u niet in Nederland (RNI)? Dan activeert u DigiD bij een DigiD-balie of met de DigiD app met ID-check.

## Let op

Geef uw DigiD **nooit** aan iemand anders. Ook niet aan uw werkgever, uitzendbureau of verhuurder.
Met uw DigiD kan iemand geld aanvragen op uw naam.

Het informatiepunt helpt u graag bij het aanvragen en activeren van DigiD.""",
    ),
    "housing": (
        "Wonen: uw rechten en het huurcontract",
        "Wat uw verhuurder moet doen, wat een borg mag zijn, en wat u doet bij problemen.",
        """Sinds 1 juli 2023 geldt de **Wet goed verhuurderschap**. Daarin staan regels voor alle verhuurders.

## Uw huurcontract

- U krijgt een **schriftelijk** huurcontract, met de huurprijs, de servicekosten en de huisregels.
- Werkt u als arbeidsmigrant? Dan staat uw huurcontract **los van uw arbeidscontract**.
  Stopt uw werk? Dan stopt uw huurcontract niet vanzelf.
- De verhuurder geeft u informatie over uw rechten en plichten, in een taal die u begrijpt.

## Borg

De borg is **hooguit twee keer de kale huur**. Na het einde van de huur krijgt u de borg binnen 14 dagen
terug. Is er schade? Dan binnen 30 dagen, min de kosten van de schade.

## Huur van uw loon

Haalt uw werkgever de huur van uw loon af? Dat mag alleen als u dat **schriftelijk** goed vindt, en
voor hooguit 25% van het minimumloon. De woning moet dan aan eisen van kwaliteit voldoen.

## Niet te vol

In Rotterdam moet er in een woning **minstens 12 m² per persoon** zijn. Te veel mensen in een huis is
onveilig.

Problemen met uw verhuurder of uw woning? [Meld het bij de gemeente](../../report/). U hoeft uw naam niet te geven.""",
    ),
    "work": (
        "Werk en loon",
        "U heeft recht op het minimumloon, een loonstrook en vakantiegeld.",
        """Iedereen die in Nederland werkt, heeft dezelfde rechten. Het maakt niet uit waar u vandaan komt.

## Uw loon

- U krijgt minstens het **minimumloon per uur**. Het bedrag verandert elk jaar. Kijk op
  [rijksoverheid.nl/minimumloon](https://www.rijksoverheid.nl/onderwerpen/minimumloon).
- U krijgt bij elke betaling een **loonstrook**. Daarop staat wat u verdient en wat eraf gaat.
- U krijgt **vakantiegeld**: minstens 8% van uw loon.
- Uw loon komt op uw eigen bankrekening.

## Werken via een uitzendbureau

Kijk of het uitzendbureau een keurmerk heeft op [normeringarbeid.nl](https://www.normeringarbeid.nl).
Bewaar uw contract, uw loonstroken en een lijst van uw gewerkte uren.

## Problemen op het werk?

- Te weinig loon, te lang werken of onveilig werk? Meld het bij de
  [Nederlandse Arbeidsinspectie](https://www.nlarbeidsinspectie.nl). Dat kan ook zonder uw naam.
- Wordt u uitgebuit? [FairWork](https://www.fairwork.nu) helpt u, gratis en vertrouwelijk.
- Bent u uw werk kwijt? Misschien krijgt u een uitkering van het UWV.""",
    ),
    "health-insurance": (
        "Zorgverzekering",
        "Woont of werkt u in Nederland? Dan moet u meestal een Nederlandse zorgverzekering hebben.",
        """Woont of werkt u in Nederland? Dan moet u meestal een Nederlandse **basisverzekering** hebben.
Sluit die af **binnen 4 maanden**. U betaalt dan ook voor de maanden ervoor.

## Hoe regelt u het?

- U kiest zelf een zorgverzekeraar. Uw werkgever mag een verzekering aanbieden, maar u hoeft die niet te nemen.
- U betaalt elke maand een premie.
- Elk jaar betaalt u het eerste deel van veel kosten zelf. Dat heet het **eigen risico**.
- Heeft u een laag inkomen? Dan krijgt u misschien **zorgtoeslag**. Vraag die aan bij
  [Dienst Toeslagen](https://www.belastingdienst.nl/toeslagen). U heeft daarvoor DigiD nodig.

## Naar de dokter

- Schrijf u in bij een **huisarts** bij u in de buurt.
- 's Avonds en in het weekend belt u de **huisartsenpost**.
- Bij gevaar voor uw leven belt u **112**.""",
    ),
    "help": (
        "Waar krijgt u hulp?",
        "Organisaties die u helpen bij problemen met werk, wonen, geld of veiligheid.",
        """## Bij het informatiepunt

Wij helpen u in uw eigen taal, met vragen over wonen, werk, zorg, geld, DigiD en inschrijven.
Zie [adres en openingstijden](../information-point/).

## Andere hulp

- **Juridisch Loket**: gratis advies over uw rechten. [juridischloket.nl](https://www.juridischloket.nl)
- **FairWork**: hulp bij uitbuiting, vertrouwelijk. [fairwork.nu](https://www.fairwork.nu)
- **Nederlandse Arbeidsinspectie**: meld oneerlijk of onveilig werk.
  [nlarbeidsinspectie.nl](https://www.nlarbeidsinspectie.nl)
- **Barka**: hulp voor EU-burgers zonder woning, ook als u terug wilt naar uw land.
- **Slachtofferhulp Nederland**: steun na een misdrijf of ongeluk. [slachtofferhulp.nl](https://www.slachtofferhulp.nl)

## Politie

- Bij nood: bel **112**.
- Geen nood: bel **0900 8844**.""",
    ),
    "information-point": (
        "Het informatiepunt: adres en openingstijden",
        "Kom langs, bel of stuur een WhatsApp-bericht. Wij spreken uw taal.",
        """Bij het informatiepunt krijgt u gratis informatie en hulp, in uw eigen taal. U hoeft geen
afspraak te maken.

## Informatiepunt Zuid

Voorbeeldstraat 1, Rotterdam (voorbeeldadres)

- maandag tot en met donderdag: 9.00 tot 17.00 uur
- donderdagavond: 17.00 tot 20.00 uur

## Informatiepunt West

Proefweg 20, Rotterdam (voorbeeldadres)

- dinsdag en vrijdag: 10.00 tot 16.00 uur

## Bellen of WhatsApp

- telefoon en WhatsApp: 010 000 0000 (voorbeeldnummer)
- maandag tot en met vrijdag: 9.00 tot 17.00 uur

Wij spreken onder andere Pools, Roemeens, Bulgaars, Engels en Nederlands.""",
    ),
}

EN: dict[str, tuple[str, str, str]] = {
    "registration": (
        "Registering in the BRP or the RNI",
        "Register with the municipality. Then you get a citizen service number (BSN).",
        """Will you stay in the Netherlands for **more than 4 months**? Then register with the municipality
where you live. This is called registering in the **BRP** (Personal Records Database). Do this within
5 days after you arrive. Make an appointment with the municipality.

Will you stay **less than 4 months**? Then you register as a non-resident in the **RNI**. You can do this
at an RNI desk, also in Rotterdam.

## What do you get?

After you register, you get a **citizen service number (BSN)**. You need this number for work, health
insurance, a bank account and allowances.

## What do you bring?

- your passport or ID card
- your rental contract, or a letter from the main occupant that you may live there

## Are you moving?

Give your new address **within 5 days**. You can do this [on this portal](../../address/). Are you leaving
the Netherlands? Then tell the municipality.

If you do not register, or not correctly, you can get a fine.""",
    ),
    "digid": (
        "DigiD: your digital identity",
        "With DigiD you arrange things online with the government, such as tax and healthcare allowance.",
        """With **DigiD** you log in to government websites. For example the Tax Administration, UWV, the SVB
and your health insurer. You need a **BSN** to apply for DigiD.

## How to apply

1. Go to [digid.nl](https://www.digid.nl) and apply for DigiD.
2. You get a letter with an activation code. It goes to the address where you are registered.
3. Activate DigiD within 20 days with the code in the letter.
4. Install the **DigiD app**. This is the easiest and safest way.

Do you not live in the Netherlands (RNI)? Then you activate DigiD at a DigiD desk, or with the DigiD app
with ID check.

## Be careful

**Never** give your DigiD to someone else. Not to your employer, your agency or your landlord either.
With your DigiD, someone can apply for money in your name.

The information point is happy to help you apply for and activate DigiD.""",
    ),
    "housing": (
        "Housing: your rights and the rental contract",
        "What your landlord must do, how high a deposit may be, and what to do if there are problems.",
        """Since 1 July 2023 the **Good Landlordship Act** (Wet goed verhuurderschap) applies. It has rules for
all landlords.

## Your rental contract

- You get a **written** rental contract, with the rent, the service costs and the house rules.
- Do you work here as a labour migrant? Then your rental contract is **separate from your employment
  contract**. If your job ends, your rental contract does not end automatically.
- The landlord gives you information about your rights and duties, in a language you understand.

## Deposit

The deposit is **at most twice the basic rent**. When the rental ends, you get the deposit back within
14 days. Is there damage? Then within 30 days, minus the cost of the damage.

## Rent taken from your pay

Does your employer take the rent from your pay? This is only allowed if you agree **in writing**, and for
at most 25% of the minimum wage. The housing must then meet quality standards.

## Not too full

In Rotterdam a home must have **at least 12 m² per person**. Too many people in one house is unsafe.

Problems with your landlord or your home? [Report it to the municipality](../../report/). You do not have to give your name.""",
    ),
    "work": (
        "Work and pay",
        "You have a right to the minimum wage, a payslip and holiday pay.",
        """Everyone who works in the Netherlands has the same rights. It does not matter where you come from.

## Your pay

- You get at least the **minimum wage per hour**. The amount changes every year. See
  [rijksoverheid.nl/minimumloon](https://www.rijksoverheid.nl/onderwerpen/minimumloon).
- You get a **payslip** every time you are paid. It shows what you earn and what is taken off.
- You get **holiday pay**: at least 8% of your pay.
- Your pay goes into your own bank account.

## Working through an agency

Check on [normeringarbeid.nl](https://www.normeringarbeid.nl) if the agency has a quality mark. Keep your
contract, your payslips and a list of the hours you worked.

## Problems at work?

- Too little pay, working too long or unsafe work? Report it to the
  [Netherlands Labour Authority](https://www.nlarbeidsinspectie.nl). You can do this without your name.
- Are you being exploited? [FairWork](https://www.fairwork.nu) helps you, free and in confidence.
- Did you lose your job? You may get a benefit from UWV.""",
    ),
    "health-insurance": (
        "Health insurance",
        "Do you live or work in the Netherlands? Then you usually must have Dutch health insurance.",
        """Do you live or work in the Netherlands? Then you usually must have Dutch **basic health insurance**.
Take it out **within 4 months**. You then also pay for the months before.

## How do you arrange it?

- You choose a health insurer yourself. Your employer may offer an insurance, but you do not have to take it.
- You pay a premium every month.
- Every year you pay the first part of many costs yourself. This is called the **own risk** (eigen risico).
- Do you have a low income? Then you may get **healthcare allowance** (zorgtoeslag). Apply at
  [Dienst Toeslagen](https://www.belastingdienst.nl/toeslagen). You need DigiD for this.

## Going to the doctor

- Register with a **GP** (huisarts) near you.
- In the evening and at the weekend, call the **GP out-of-hours service** (huisartsenpost).
- If your life is in danger, call **112**.""",
    ),
    "help": (
        "Where to get help",
        "Organisations that help you with problems with work, housing, money or safety.",
        """## At the information point

We help you in your own language, with questions about housing, work, health care, money, DigiD and
registration. See [address and opening hours](../information-point/).

## Other help

- **Legal Aid Desk** (Juridisch Loket): free advice about your rights. [juridischloket.nl](https://www.juridischloket.nl)
- **FairWork**: help with exploitation, in confidence. [fairwork.nu](https://www.fairwork.nu)
- **Netherlands Labour Authority**: report unfair or unsafe work.
  [nlarbeidsinspectie.nl](https://www.nlarbeidsinspectie.nl)
- **Barka**: help for EU citizens without a home, also if you want to go back to your country.
- **Victim Support Netherlands**: support after a crime or accident. [slachtofferhulp.nl](https://www.slachtofferhulp.nl)

## Police

- Emergency: call **112**.
- No emergency: call **0900 8844**.""",
    ),
    "information-point": (
        "The information point: address and opening hours",
        "Drop in, call or send a WhatsApp message. We speak your language.",
        """At the information point you get free information and help, in your own language. You do not need
an appointment.

## Information point South

Voorbeeldstraat 1, Rotterdam (example address)

- Monday to Thursday: 9:00 to 17:00
- Thursday evening: 17:00 to 20:00

## Information point West

Proefweg 20, Rotterdam (example address)

- Tuesday and Friday: 10:00 to 16:00

## Call or WhatsApp

- phone and WhatsApp: 010 000 0000 (example number)
- Monday to Friday: 9:00 to 17:00

We speak Polish, Romanian, Bulgarian, English and Dutch, among other languages.""",
    ),
}
